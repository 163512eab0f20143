"""/ask, /sources, /help and @mention answers: parse, call the service, render, reply."""

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
from bot.discord.ui.messages import BUSY, FAILURE, cooldown_message
from bot.services.corpus import Origin, Served

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

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
        with self.bot.working():
            async with self.bot.admission.acknowledging():
                visible = await self.bot.admit(interaction, private)
                if visible is None:
                    return
                await interaction.response.defer(ephemeral=visible, thinking=True)
            origin = Origin("slash", interaction.guild_id, interaction.channel_id, interaction.user.id)
            async with self.bot.admission.turn():
                served = await self.answer(question, origin)
            await interaction.followup.send(
                embed=answer_embed(served.answer),
                view=answer_view(served.answer, served.answer_id),
                ephemeral=visible,
                allowed_mentions=NONE,
            )

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Complete the last word typed to a name the corpus mentions."""
        return self.bot.name_choices(current)

    @app_commands.command(name="sources", description="List the documents the bot answers from")
    async def sources(self, interaction: discord.Interaction) -> None:
        engine = self.bot.service.engine
        await interaction.response.send_message(
            embed=sources_embed(engine.sources(), corpus_version=engine.version), allowed_mentions=NONE, ephemeral=True
        )

    @app_commands.command(name="help", description="How to use corpusbot")
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=help_embed(COMMANDS), ephemeral=True, allowed_mentions=NONE)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer messages that mention the bot directly (never @everyone, @here or a role)."""
        me = self.bot.user
        if me is None or message.author.bot or me.id not in message.raw_mentions:
            return
        try:
            with self.bot.working():
                await self._answer_mention(message, me.id)
        except Exception:
            logger.exception("answering a mention failed", extra={"channel_id": message.channel.id})
            with contextlib.suppress(discord.HTTPException):
                await message.reply(embed=error_embed(FAILURE), mention_author=False, allowed_mentions=NONE)

    async def _answer_mention(self, message: discord.Message, bot_id: int) -> None:
        config = await self.bot.service.channel_config(message.guild.id if message.guild else None, message.channel.id)
        if not config.enabled:
            return
        question = strip_mention(message.content, bot_id)
        unreadable = False
        if not question and message.reference is not None:
            referenced = message.reference.resolved
            if isinstance(referenced, discord.Message):
                question = strip_mention(referenced.content, bot_id)
            unreadable = not question
        wait = self.bot.cooldowns.remaining(message.author.id)
        if wait or self.bot.admission.shed():
            text = cooldown_message(wait) if wait else BUSY
            await message.reply(text, mention_author=False, allowed_mentions=NONE)
            return
        origin = Origin("mention", message.guild.id if message.guild else None, message.channel.id, message.author.id)
        async with self.bot.admission.turn():
            served = await self.answer(question, origin)
        if unreadable:
            await message.reply(embed=error_embed(UNREADABLE_REPLY), mention_author=False, allowed_mentions=NONE)
            return
        await message.reply(
            embed=answer_embed(served.answer),
            view=answer_view(served.answer, served.answer_id),
            mention_author=False,
            allowed_mentions=NONE,
        )


def strip_mention(content: str, bot_id: int) -> str:
    """The message text without the bot's own mention(s)."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content or "").split())


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(AskCog(bot))
