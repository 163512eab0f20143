"""/privacy and /forget-me: anyone can learn what is stored about them and erase it.

Erasure asks for confirmation first, with buttons only the caller can press; doing nothing (or
cancelling) deletes nothing.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.privacy.render import privacy_embed
from bot.discord.ui.pagination import OwnedView
from bot.discord.ui.replies import reply_privately
from bot.discord.ui.style import ABSTAINED_COLOUR, ANSWERED_COLOUR, notice_embed, refusal_embed
from bot.services.container import Services
from bot.services.privacy import PrivacyService
from bot.wording import plural

logger = logging.getLogger(__name__)

CONFIRM_TIMEOUT = 60.0
NO_LOG = "The question log is unavailable right now, so I can't delete anything. Please try again later."
KEPT = "Nothing was deleted."


class ForgetConfirmation(OwnedView):
    """Delete / Cancel under the /forget-me prompt; the first press (or the timeout) settles it."""

    def __init__(self, privacy: PrivacyService, owner_id: int, timeout: float = CONFIRM_TIMEOUT) -> None:
        super().__init__(owner_id, timeout)
        self.privacy = privacy

    async def _settle(self, interaction: discord.Interaction, embed: discord.Embed) -> None:
        self.stop()
        self.disable()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirmation]) -> None:
        """Erase now and say how much went."""
        deleted = await self.privacy.forget(self.owner_id)
        message = f"Deleted {plural(deleted, 'question')} and your feedback votes, in every server and in DMs."
        await self._settle(interaction, notice_embed("Your data was deleted", message, colour=ANSWERED_COLOUR))

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirmation]) -> None:
        """Keep everything."""
        await self._settle(interaction, notice_embed("Cancelled", KEPT))

    async def on_timeout(self) -> None:
        """Nobody pressed: keep everything and say so."""
        self.disable()
        await self.edit(embed=notice_embed("Timed out", f"{KEPT} Run /forget-me again if you want to."), view=self)


class PrivacyCog(commands.Cog):
    """/privacy and /forget-me."""

    def __init__(self, services: Services) -> None:
        self.privacy = services.privacy
        self.confirm_timeout = CONFIRM_TIMEOUT

    @app_commands.command(
        name="privacy", description="What corpusbot stores about you, who can read it, how to delete it"
    )
    async def privacy_notice(self, interaction: discord.Interaction) -> None:
        """The privacy notice, privately."""
        embed = privacy_embed(self.privacy.retention_days, log_available=self.privacy.available)
        await reply_privately(interaction, embed=embed)

    @app_commands.command(name="forget-me", description="Delete every question you asked corpusbot, everywhere")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Say how many questions are stored, then ask for confirmation before erasing them."""
        if not self.privacy.available:
            await reply_privately(interaction, embed=refusal_embed(NO_LOG))
            return
        stored = await self.privacy.stored_questions(interaction.user.id)
        prompt = notice_embed(
            "Delete your data?",
            f"This deletes the {plural(stored, 'question')} stored with your user id — in every server and in DMs "
            "— and your feedback votes. It cannot be undone.",
            colour=ABSTAINED_COLOUR,
        )
        await ForgetConfirmation(self.privacy, interaction.user.id, self.confirm_timeout).send(
            interaction, embed=prompt
        )
