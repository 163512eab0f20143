"""/ask, /sources, /help and @mention answers: parse, call the service, render, reply."""

from __future__ import annotations

import contextlib
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.buttons import AnswerButtons
from bot.discord.ask.render import answer_embed, help_embed, sources_embed
from bot.discord.overload import Load
from bot.discord.ui.admission import admitted
from bot.discord.ui.autocomplete import name_choices
from bot.discord.ui.messages import BUSY, FAILURE, cooldown_message
from bot.discord.ui.replies import NONE
from bot.discord.ui.style import error_embed
from bot.services.container import Services
from bot.services.recording import Origin

logger = logging.getLogger(__name__)

UNREADABLE_REPLY = (
    "I can only read messages that mention me, so I can't see the message you replied to. "
    "Write your question after the mention, e.g. “@corpusbot what happened on January 3?”."
)
COMMANDS = (
    ("/ask question:<text> [private]", "answer with verbatim, cited quotes from the corpus — or say it doesn't know"),
    ("@corpusbot <question>", "the same, as a reply (reply to a message with just the mention to ask it)"),
    ("/timeline [topic] [since] [until]", "the corpus's dated events in order, each quoted and cited"),
    ("/sources", "the documents the bot knows"),
    ("/privacy · /forget-me", "what is stored about your questions, and deleting it"),
    ("/logs · /stats · /config", "moderators: questions asked here, answer rate and gaps, per-channel settings"),
    ("/reload", "bot admins: reload the corpus folder"),
    ("/help", "this help"),
)


class AskCog(commands.Cog):
    """Questions: the /ask command, @mentions, and the commands that describe the bot."""

    def __init__(self, bot: commands.Bot, services: Services, buttons: AnswerButtons, load: Load) -> None:
        self.bot = bot  # only for the bot's own user id, to recognise mentions
        self.services = services
        self.buttons = buttons
        self.load = load

    @app_commands.command(name="ask", description="Ask the corpus; the answer is verbatim quotes with their sources")
    @app_commands.describe(
        question="Your question (the first 500 characters are used)", private="Show the answer only to you"
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool | None = None) -> None:
        """Answer with quotes and buttons, publicly unless the asker, the channel or the server says private."""
        with self.services.activity.working():
            async with self.load.queue.acknowledging():
                admission = await admitted(self.services.policy, interaction, private, self.load)
                if admission is None:
                    return
                await interaction.response.defer(ephemeral=admission.private, thinking=True)
            origin = Origin("slash", interaction.guild_id, interaction.channel_id, interaction.user.id)
            async with self.load.queue.turn():
                served = await self.services.corpus.ask(question, origin)
            await interaction.followup.send(
                embed=answer_embed(served.answer),
                view=self.buttons.view(served.answer, served.answer_id),
                ephemeral=admission.private,
                allowed_mentions=NONE,
            )

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Complete the last word typed to a name the corpus mentions."""
        return name_choices(self.services.corpus.complete_names(current))

    @app_commands.command(name="sources", description="List the documents the bot answers from")
    async def sources(self, interaction: discord.Interaction) -> None:
        """The documents and the corpus version, privately."""
        corpus = self.services.corpus
        await interaction.response.send_message(
            embed=sources_embed(corpus.sources(), corpus_version=corpus.version), allowed_mentions=NONE, ephemeral=True
        )

    @app_commands.command(name="help", description="How to use corpusbot")
    async def help(self, interaction: discord.Interaction) -> None:
        """The commands, privately."""
        await interaction.response.send_message(embed=help_embed(COMMANDS), ephemeral=True, allowed_mentions=NONE)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer messages that mention the bot directly (never @everyone, @here or a role)."""
        me = self.bot.user
        if me is None or message.author.bot or me.id not in message.raw_mentions:
            return
        try:
            with self.services.activity.working():
                await self._answer_mention(message, me.id)
        except Exception:
            logger.exception("answering a mention failed", extra={"channel_id": message.channel.id})
            with contextlib.suppress(discord.HTTPException):
                await message.reply(embed=error_embed(FAILURE), mention_author=False, allowed_mentions=NONE)

    async def _answer_mention(self, message: discord.Message, bot_id: int) -> None:
        guild_id = message.guild.id if message.guild else None
        admission = await self.services.policy.admit(guild_id, message.channel.id, message.author.id)
        if admission.refusal in ("disabled", "settings unknown"):  # a switched-off channel stays silent
            return
        if admission.refusal == "cooldown" or self.load.queue.shed():
            text = cooldown_message(admission.wait) if admission.refusal == "cooldown" else BUSY
            await message.reply(text, mention_author=False, allowed_mentions=NONE)
            return
        question = strip_mention(message.content, bot_id)
        unreadable = False
        if not question and message.reference is not None:
            referenced = message.reference.resolved
            if isinstance(referenced, discord.Message):
                question = strip_mention(referenced.content, bot_id)
            unreadable = not question
        origin = Origin("mention", guild_id, message.channel.id, message.author.id)
        async with self.load.queue.turn():
            served = await self.services.corpus.ask(question, origin)
        if unreadable:
            await message.reply(embed=error_embed(UNREADABLE_REPLY), mention_author=False, allowed_mentions=NONE)
            return
        await message.reply(
            embed=answer_embed(served.answer),
            view=self.buttons.view(served.answer, served.answer_id),
            mention_author=False,
            allowed_mentions=NONE,
        )


def strip_mention(content: str, bot_id: int) -> str:
    """The message text without the bot's own mention(s)."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content or "").split())
