"""/ask, /sources, /help and @mention answers: parse, call the service, render, reply (or open a thread)."""

from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.render import answer_embed, error_embed, help_embed, sources_embed
from bot.discord.ui.components import NONE, answer_view
from bot.discord.ui.places import guild_language, in_thread, settings_channel_id, threads_possible
from bot.i18n import language, say
from bot.services.community import Placement, mention_placement, thread_name, thread_on_answer
from bot.services.corpus import Origin, Served

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

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
    return [(spanish if lang == "es" else english, say(key, lang)) for english, spanish, key in COMMANDS]


class AskCog(commands.Cog):
    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    async def answer(self, question: str, origin: Origin) -> Served:
        served = await self.bot.service.ask(question, origin)
        self.bot.answers.put(served.answer_id, served.answer)
        return served

    @app_commands.command(name="ask", description="Ask the corpus; the answer is verbatim quotes with their sources")
    @app_commands.describe(
        question="Your question (the first 500 characters are used)", private="Show the answer only to you"
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool | None = None) -> None:
        visible = await self.bot.admit(interaction, private)
        if visible is None:
            return
        lang = language(interaction.locale)
        with self.bot.working():
            await interaction.response.defer(ephemeral=visible, thinking=True)
            origin = Origin("slash", interaction.guild_id, interaction.channel_id, interaction.user.id)
            served = await self.answer(question, origin)
            sent = await interaction.followup.send(
                embed=answer_embed(served.answer, lang=lang),
                view=answer_view(
                    served.answer, served.answer_id, asker_id=None if visible else interaction.user.id, lang=lang
                ),
                ephemeral=visible,
                allowed_mentions=NONE,
                wait=True,
            )
            channel = interaction.channel
            config = await self.bot.service.channel_config(interaction.guild_id, settings_channel_id(channel))
            if isinstance(channel, discord.TextChannel) and thread_on_answer(
                config, private=visible, in_thread=in_thread(channel), threads_possible=threads_possible(channel)
            ):
                # The webhook's copy of the answer knows no guild; the channel's handle on it does.
                await self._open_thread(channel.get_partial_message(sent.id), question)

    async def _open_thread(
        self, message: discord.Message | discord.PartialMessage, question: str
    ) -> discord.Thread | None:
        """A public thread on ``message``; None (logged) when Discord refuses, e.g. missing permission."""
        try:
            return await message.create_thread(name=thread_name(question))
        except discord.HTTPException as error:
            logger.warning("could not open a thread on an answer: %s", error, extra={"channel_id": message.channel.id})
            return None

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Complete the last words typed to a name the corpus mentions."""
        return self.bot.name_choices(current)

    @app_commands.command(name="sources", description="List the documents the bot answers from")
    async def sources(self, interaction: discord.Interaction) -> None:
        engine = self.bot.service.engine
        await interaction.response.send_message(
            embed=sources_embed(engine.sources(), corpus_version=engine.version), allowed_mentions=NONE, ephemeral=True
        )

    @app_commands.command(name="help", description="How to use corpusbot")
    async def help(self, interaction: discord.Interaction) -> None:
        lang = language(interaction.locale)
        embed = help_embed(help_lines(lang), lang=lang)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer messages that mention the bot directly (never @everyone, @here or a role)."""
        me = self.bot.user
        if me is None or message.author.bot or me.id not in message.raw_mentions:
            return
        if self.bot.is_forum_starter(message):
            return  # a new forum post: the forum listener answers it, once
        try:
            with self.bot.working():
                await self._answer_mention(message, me.id)
        except Exception:
            logger.exception("answering a mention failed", extra={"channel_id": message.channel.id})
            with contextlib.suppress(discord.HTTPException):
                lang = guild_language(message.guild)
                await message.reply(
                    embed=error_embed(say("failure", lang), lang=lang), mention_author=False, allowed_mentions=NONE
                )

    async def _answer_mention(self, message: discord.Message, bot_id: int) -> None:
        guild_id = message.guild.id if message.guild else None
        config = await self.bot.service.channel_config(guild_id, settings_channel_id(message.channel))
        if not config.enabled:
            return
        lang = guild_language(message.guild)
        question = strip_mention(message.content, bot_id)
        unreadable = False
        if not question and message.reference is not None:
            referenced = message.reference.resolved
            if isinstance(referenced, discord.Message):
                question = strip_mention(referenced.content, bot_id)
            unreadable = not question
        wait = self.bot.cooldowns.remaining(message.author.id)
        if wait:
            await message.reply(
                say("cooldown", lang, seconds=f"{wait:.0f}"), mention_author=False, allowed_mentions=NONE
            )
            return
        origin = Origin("mention", guild_id, message.channel.id, message.author.id)
        served = await self.answer(question, origin)
        if unreadable:
            await message.reply(
                embed=error_embed(say("unreadable_reply", lang), lang=lang), mention_author=False, allowed_mentions=NONE
            )
            return
        embed = answer_embed(served.answer, lang=lang)
        view = answer_view(served.answer, served.answer_id, asker_id=message.author.id, lang=lang)
        placement = mention_placement(
            config, in_thread=in_thread(message.channel), threads_possible=threads_possible(message.channel)
        )
        thread = await self._open_thread(message, question) if placement is Placement.THREAD else None
        if thread is not None:
            await thread.send(embed=embed, view=view, allowed_mentions=NONE)
        else:
            await message.reply(embed=embed, view=view, mention_author=False, allowed_mentions=NONE)


def strip_mention(content: str, bot_id: int) -> str:
    """The message text without the bot's own mention(s)."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content or "").split())


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(AskCog(bot))
