"""/reload: an admin swaps in the corpus folder's current contents without restarting the bot."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ui.components import NONE
from bot.discord.ui.fit import fit_content
from bot.documents import skipped_summary

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

logger = logging.getLogger(__name__)

NOT_ADMIN = "Only the bot's owner and its admins (CORPUSBOT_ADMIN_IDS) can reload the corpus."


def _documents(count: int) -> str:
    return f"{count} document" + ("" if count == 1 else "s")


def reloaded_message(old: str, new: str, old_count: int, new_count: int) -> str:
    """What the admin sees: the version change (footers show the same 8 characters) and document counts."""
    if old == new:
        return f"Corpus reloaded: unchanged (`{new[:8]}`, {_documents(new_count)})."
    return f"Corpus reloaded: `{old[:8]}` → `{new[:8]}` · {_documents(old_count)} → {_documents(new_count)}."


def failed_message(error: Exception, version: str, count: int) -> str:
    return (
        f"The corpus could not be reloaded: {error}\n"
        f"Nothing changed — still answering from corpus `{version[:8]}` ({_documents(count)})."
    )


class AdminCog(commands.Cog):
    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Reload the corpus folder (bot owner and admins only)")
    async def reload(self, interaction: discord.Interaction) -> None:
        # Defer first: the owner lookup may call Discord, and the reload itself takes a moment.
        await interaction.response.defer(ephemeral=True, thinking=True)
        where = {"guild_id": interaction.guild_id, "channel_id": interaction.channel_id}
        user_id = interaction.user.id
        if not await self.bot.is_admin(interaction.user):
            logger.warning("/reload refused for user %s (not an admin)", user_id, extra=where)
            await interaction.followup.send(NOT_ADMIN, ephemeral=True, allowed_mentions=NONE)
            return
        service = self.bot.service
        old_count = len(service.engine.corpus.documents)
        try:
            old, new = await service.reload()
        except (OSError, ValueError) as error:  # missing, unreadable or empty folder: keep serving the old corpus
            logger.warning("/reload by user %s failed: %s", user_id, error, extra=where)
            current = service.engine
            message = failed_message(error, current.version, len(current.corpus.documents))
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NONE)
            return
        new_count = len(service.engine.corpus.documents)
        logger.info("/reload by user %s: corpus %s -> %s", user_id, old, new, extra=where)
        message = reloaded_message(old, new, old_count, new_count)
        skipped = skipped_summary(service.engine.corpus.skipped, 10)
        await interaction.followup.send(
            fit_content(f"{message}\n{skipped}" if skipped else message), ephemeral=True, allowed_mentions=NONE
        )


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(AdminCog(bot))
