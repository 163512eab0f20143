"""/ask, /sources, /help and @mention answers: parse, call the service, render, reply (or open a thread)."""

from __future__ import annotations

import contextlib
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.buttons import AnswerButtons
from bot.discord.ask.render import answer_embed, help_embed, sources_embed
from bot.discord.ui.admission import admitted
from bot.discord.ui.autocomplete import name_choices
from bot.discord.ui.places import (
    guild_language,
    in_thread,
    is_forum_starter,
    logged_channel_id,
    settings_channel_id,
    threads_possible,
)
from bot.discord.ui.replies import NONE
from bot.discord.ui.style import error_embed
from bot.i18n import language, say
from bot.services.community import Placement, mention_placement, thread_name, thread_on_answer
from bot.services.container import Services
from bot.services.documents import skipped_summary
from bot.services.recording import Origin

logger = logging.getLogger(__name__)

# (English syntax, Spanish syntax, catalogue key of the explanation)
COMMANDS = (
    ("/ask question:<text> [private]", "/preguntar pregunta:<texto> [privada]", "help_ask"),
    ("@corpusbot <question>", "@corpusbot <pregunta>", "help_mention"),
    ("Apps → Ask corpusbot", "Apps → Preguntar a corpusbot", "help_menu"),
    ("/timeline [topic] [since] [until]", "/cronologia [tema] [desde] [hasta]", "help_timeline"),
    ("/sources", "/fuentes", "help_sources"),
    ("/privacy · /forget-me", "/privacidad · /olvidame", "help_privacy"),
    ("/logs · /stats · /config", "/registro · /estadisticas · /configurar", "help_moderators"),
    ("/reload", "/recargar", "help_reload"),
    ("👍 👎 🗑", "👍 👎 🗑", "help_buttons"),
    ("/help", "/ayuda", "help_help"),
)


def help_lines(lang: str) -> list[tuple[str, str]]:
    """The command list in ``lang``: the syntax as the user's client shows it, and what it does."""
    return [(spanish if lang == "es" else english, say(key, lang)) for english, spanish, key in COMMANDS]


async def open_thread(message: discord.Message | discord.PartialMessage, question: str) -> discord.Thread | None:
    """A public thread on ``message`` named after the question.

    None (logged) when Discord refuses, e.g. for a missing permission; the caller answers in place instead.
    """
    try:
        return await message.create_thread(name=thread_name(question))
    except discord.HTTPException as error:
        logger.warning("could not open a thread: %s", error, extra={"channel_id": message.channel.id})
        return None


class AskCog(commands.Cog):
    """Questions: the /ask command, @mentions, and the commands that describe the bot."""

    def __init__(self, bot: commands.Bot, services: Services, buttons: AnswerButtons) -> None:
        self.bot = bot  # only for the bot's own user id, to recognise mentions
        self.services = services
        self.buttons = buttons

    @app_commands.command(name="ask", description="Ask the corpus; the answer is verbatim quotes with their sources")
    @app_commands.describe(
        question="Your question (the first 500 characters are used)", private="Show the answer only to you"
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool | None = None) -> None:
        """Answer with quotes and buttons, publicly unless the asker, the channel or the server says private.

        In a channel set to threads, a public answer opens a thread on itself.
        """
        admission = await admitted(self.services.policy, interaction, private)
        if admission is None:
            return
        lang = language(interaction.locale)
        with self.services.activity.working():
            await interaction.response.defer(ephemeral=admission.private, thinking=True)
            origin = Origin("slash", interaction.guild_id, logged_channel_id(interaction), interaction.user.id)
            served = await self.services.corpus.ask(question, origin)
            asker = None if admission.private else interaction.user.id
            sent = await interaction.followup.send(
                embed=answer_embed(served.answer, lang=lang),
                view=self.buttons.view(served.answer, served.answer_id, asker_id=asker, lang=lang),
                ephemeral=admission.private,
                allowed_mentions=NONE,
                wait=True,
            )
            channel = interaction.channel
            config = await self.services.channels.get(interaction.guild_id, settings_channel_id(channel))
            if isinstance(channel, discord.TextChannel) and thread_on_answer(
                config, private=admission.private, in_thread=in_thread(channel), threads_possible=True
            ):
                # The webhook's copy of the answer knows no guild; the channel's handle on it does.
                await open_thread(channel.get_partial_message(sent.id), question)

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Complete the last words typed to a name the corpus mentions."""
        return name_choices(self.services.corpus.complete_names(current))

    @app_commands.command(name="sources", description="List the documents the bot answers from")
    async def sources(self, interaction: discord.Interaction) -> None:
        """The documents and the corpus version, privately (and the files that were skipped, in the footer)."""
        corpus = self.services.corpus
        lang = language(interaction.locale)
        embed = sources_embed(
            corpus.sources(),
            corpus_version=corpus.version,
            skipped=skipped_summary(corpus.summary().skipped, 10, lang),
            lang=lang,
        )
        await interaction.response.send_message(embed=embed, allowed_mentions=NONE, ephemeral=True)

    @app_commands.command(name="help", description="How to use corpusbot")
    async def help(self, interaction: discord.Interaction) -> None:
        """The commands, privately, in the user's language."""
        lang = language(interaction.locale)
        embed = help_embed(help_lines(lang), lang=lang)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer messages that mention the bot directly (never @everyone, @here or a role)."""
        me = self.bot.user
        if me is None or message.author.bot or me.id not in message.raw_mentions:
            return
        if is_forum_starter(message) and await self._forum_answers_posts(message):
            return  # a new post in an opted-in forum: the forum listener answers the post, once
        try:
            with self.services.activity.working():
                await self._answer_mention(message, me.id)
        except Exception:
            logger.exception("answering a mention failed", extra={"channel_id": message.channel.id})
            with contextlib.suppress(discord.HTTPException):
                lang = guild_language(message.guild)
                await message.reply(
                    embed=error_embed(say("failure", lang), lang=lang), mention_author=False, allowed_mentions=NONE
                )

    async def _forum_answers_posts(self, message: discord.Message) -> bool:
        """Whether the forum this message opened a post in answers its posts itself (``/config forum``)."""
        guild_id = message.guild.id if message.guild else None
        config = await self.services.channels.get(guild_id, settings_channel_id(message.channel))
        return config.forum and config.enabled

    async def _answer_mention(self, message: discord.Message, bot_id: int) -> None:
        guild_id = message.guild.id if message.guild else None
        channel = message.channel
        settings_id = settings_channel_id(channel)
        admission = await self.services.policy.admit(guild_id, settings_id, message.author.id)
        if admission.refusal == "disabled":  # a switched-off channel stays silent
            return
        lang = guild_language(message.guild)
        if admission.refusal == "cooldown":
            wait = say("cooldown", lang, seconds=f"{admission.wait:.0f}")
            await message.reply(wait, mention_author=False, allowed_mentions=NONE)
            return
        question = strip_mention(message.content, bot_id)
        unreadable = False
        if not question and message.reference is not None:
            referenced = message.reference.resolved
            if isinstance(referenced, discord.Message):
                question = strip_mention(referenced.content, bot_id)
            unreadable = not question
        origin = Origin("mention", guild_id, settings_id or channel.id, message.author.id)
        served = await self.services.corpus.ask(question, origin)
        if unreadable:
            embed = error_embed(say("unreadable_reply", lang), lang=lang)
            await message.reply(embed=embed, mention_author=False, allowed_mentions=NONE)
            return
        embed = answer_embed(served.answer, lang=lang)
        view = self.buttons.view(served.answer, served.answer_id, asker_id=message.author.id, lang=lang)
        config = await self.services.channels.get(guild_id, settings_id)
        placement = mention_placement(config, in_thread=in_thread(channel), threads_possible=threads_possible(channel))
        thread = await open_thread(message, question) if placement is Placement.THREAD else None
        if thread is not None:
            await thread.send(embed=embed, view=view, allowed_mentions=NONE)
        else:
            await message.reply(embed=embed, view=view, mention_author=False, allowed_mentions=NONE)


def strip_mention(content: str, bot_id: int) -> str:
    """The message text without the bot's own mention(s)."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content or "").split())
