"""/reload: an admin swaps in the corpus folder's current contents without restarting the bot."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ui.fit import fit_content
from bot.discord.ui.replies import NONE
from bot.errors import CorpusUnreadable
from bot.i18n import language, say, say_count, say_error
from bot.services.container import Services
from bot.services.documents import skipped_summary

logger = logging.getLogger(__name__)


def reloaded_message(old: str, new: str, old_count: int, new_count: int, lang: str = "en") -> str:
    """What the admin sees: the version change (footers show the same 8 characters) and document counts."""
    if old == new:
        return say("reload_unchanged", lang, version=new[:8], documents=say_count("documents", new_count, lang))
    before, after = say_count("documents", old_count, lang), say_count("documents", new_count, lang)
    return say("reload_changed", lang, old=old[:8], new=new[:8], old_documents=before, new_documents=after)


def failed_message(error: Exception, version: str, count: int, lang: str = "en") -> str:
    """What the admin sees when the folder cannot be loaded: why (the loader's words), and that nothing changed."""
    documents = say_count("documents", count, lang)
    return say("reload_failed", lang, error=say_error(error, lang), version=version[:8], documents=documents)


class AdminCog(commands.Cog):
    """Commands for the bot's owner and admins."""

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.bot = bot  # only for the application-owner check
        self.services = services

    @app_commands.command(name="reload", description="Reload the corpus folder (bot owner and admins only)")
    @app_commands.guild_only()
    @app_commands.default_permissions(administrator=True)  # hidden from members; still checked below
    async def reload(self, interaction: discord.Interaction) -> None:
        """Reload and report the version change; a broken folder keeps the current corpus."""
        # Defer first: the owner lookup may call Discord, and the reload itself takes a moment.
        await interaction.response.defer(ephemeral=True, thinking=True)
        where = {"guild_id": interaction.guild_id, "channel_id": interaction.channel_id}
        user, lang = interaction.user, language(interaction.locale)
        if not await self.services.policy.is_admin(user.id, lambda: self.bot.is_owner(user)):
            logger.warning("/reload refused for user %s (not an admin)", user.id, extra=where)
            await interaction.followup.send(say("not_admin", lang), ephemeral=True, allowed_mentions=NONE)
            return
        corpus = self.services.corpus
        try:
            reloaded = await corpus.reload()
        except CorpusUnreadable as error:  # missing, unreadable or empty folder: keep serving the old corpus
            logger.warning("/reload by user %s failed: %s", user.id, error, extra=where)
            message = failed_message(error, corpus.version, corpus.document_count, lang)
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NONE)
            return
        logger.info("/reload by user %s: corpus %s -> %s", user.id, reloaded.old, reloaded.new, extra=where)
        message = reloaded_message(*reloaded, lang=lang)
        skipped = skipped_summary(corpus.summary().skipped, 10, lang)
        await interaction.followup.send(
            fit_content(f"{message}\n{skipped}" if skipped else message), ephemeral=True, allowed_mentions=NONE
        )
