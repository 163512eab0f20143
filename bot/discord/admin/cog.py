"""/reload: an admin swaps in the corpus folder's current contents without restarting the bot."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ui.replies import NONE
from bot.errors import CorpusUnreadable
from bot.services.container import Services
from bot.wording import plural

logger = logging.getLogger(__name__)

NOT_ADMIN = "Only the bot's owner and its admins (CORPUSBOT_ADMIN_IDS) can reload the corpus."


def reloaded_message(old: str, new: str, old_count: int, new_count: int) -> str:
    """What the admin sees: the version change (footers show the same 8 characters) and document counts."""
    if old == new:
        return f"Corpus reloaded: unchanged (`{new[:8]}`, {plural(new_count, 'document')})."
    return (
        f"Corpus reloaded: `{old[:8]}` → `{new[:8]}` · "
        f"{plural(old_count, 'document')} → {plural(new_count, 'document')}."
    )


def failed_message(error: Exception, version: str, count: int) -> str:
    """What the admin sees when the folder cannot be loaded: why, and that nothing changed."""
    return (
        f"The corpus could not be reloaded: {error}\n"
        f"Nothing changed — still answering from corpus `{version[:8]}` ({plural(count, 'document')})."
    )


class AdminCog(commands.Cog):
    """Commands for the bot's owner and admins."""

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.bot = bot  # only for the application-owner check
        self.services = services

    @app_commands.command(name="reload", description="Reload the corpus folder (bot owner and admins only)")
    async def reload(self, interaction: discord.Interaction) -> None:
        """Reload and report the version change; a broken folder keeps the current corpus."""
        # Defer first: the owner lookup may call Discord, and the reload itself takes a moment.
        await interaction.response.defer(ephemeral=True, thinking=True)
        where = {"guild_id": interaction.guild_id, "channel_id": interaction.channel_id}
        user = interaction.user
        if not await self.services.policy.is_admin(user.id, lambda: self.bot.is_owner(user)):
            logger.warning("/reload refused for user %s (not an admin)", user.id, extra=where)
            await interaction.followup.send(NOT_ADMIN, ephemeral=True, allowed_mentions=NONE)
            return
        corpus = self.services.corpus
        try:
            reloaded = await corpus.reload()
        except CorpusUnreadable as error:  # missing, unreadable or empty folder: keep serving the old corpus
            logger.warning("/reload by user %s failed: %s", user.id, error, extra=where)
            message = failed_message(error, corpus.version, corpus.document_count)
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NONE)
            return
        logger.info("/reload by user %s: corpus %s -> %s", user.id, reloaded.old, reloaded.new, extra=where)
        await interaction.followup.send(reloaded_message(*reloaded), ephemeral=True, allowed_mentions=NONE)
