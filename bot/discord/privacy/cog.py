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
from bot.i18n import language, say, say_count
from bot.services.container import Services
from bot.services.privacy import PrivacyService

logger = logging.getLogger(__name__)

CONFIRM_TIMEOUT = 60.0


class ForgetConfirmation(OwnedView):
    """Delete / Cancel under the /forget-me prompt, in the user's language.

    The first press (or the timeout) settles it.
    """

    def __init__(
        self, privacy: PrivacyService, owner_id: int, timeout: float = CONFIRM_TIMEOUT, lang: str = "en"
    ) -> None:
        super().__init__(owner_id, timeout)
        self.privacy = privacy
        self.lang = lang
        self.confirm.label = say("forget_confirm", lang)
        self.cancel.label = say("forget_cancel", lang)

    async def _settle(self, interaction: discord.Interaction, embed: discord.Embed) -> None:
        self.stop()
        self.disable()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirmation]) -> None:
        """Erase now and say how much went."""
        deleted = await self.privacy.forget(self.owner_id)
        message = say("forget_done", self.lang, questions=say_count("questions", deleted, self.lang))
        title = say("forget_done_title", self.lang)
        await self._settle(interaction, notice_embed(title, message, colour=ANSWERED_COLOUR))

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirmation]) -> None:
        """Keep everything."""
        embed = notice_embed(say("forget_cancelled_title", self.lang), say("forget_kept", self.lang))
        await self._settle(interaction, embed)

    async def on_timeout(self) -> None:
        """Nobody pressed: keep everything and say so."""
        self.disable()
        embed = notice_embed(say("forget_timeout_title", self.lang), say("forget_timeout", self.lang))
        await self.edit(embed=embed, view=self)


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
        lang = language(interaction.locale)
        embed = privacy_embed(self.privacy.retention_days, log_available=self.privacy.available, lang=lang)
        await reply_privately(interaction, embed=embed)

    @app_commands.command(name="forget-me", description="Delete every question you asked corpusbot, everywhere")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Say how many questions are stored, then ask for confirmation before erasing them."""
        lang = language(interaction.locale)
        if not self.privacy.available:
            await reply_privately(interaction, embed=refusal_embed(say("forget_no_log", lang)))
            return
        stored = await self.privacy.stored_questions(interaction.user.id)
        prompt = notice_embed(
            say("forget_prompt_title", lang),
            say("forget_prompt", lang, questions=say_count("questions", stored, lang)),
            colour=ABSTAINED_COLOUR,
        )
        confirmation = ForgetConfirmation(self.privacy, interaction.user.id, self.confirm_timeout, lang)
        await confirmation.send(interaction, embed=prompt)
