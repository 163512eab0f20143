"""/privacy and /forget-me: anyone can learn what is stored about them and erase it.

Erasure asks for confirmation first, with buttons only the caller can press; doing nothing (or
cancelling) deletes nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.render import ABSTAINED_COLOUR, ANSWERED_COLOUR
from bot.discord.moderation.render import notice_embed, privacy_embed, refusal_embed
from bot.discord.ui.components import reply_privately
from bot.discord.ui.pagination import OwnedView
from bot.records import LogFilter
from bot.store import Database

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

logger = logging.getLogger(__name__)

CONFIRM_TIMEOUT = 60.0
NO_LOG = "The question log is unavailable right now, so I can't delete anything. Please try again later."
KEPT = "Nothing was deleted."


def _plural(count: int) -> str:
    return f"{count} question{'' if count == 1 else 's'}"


class ForgetConfirmation(OwnedView):
    """Delete / Cancel under the /forget-me prompt; the first press (or the timeout) settles it."""

    def __init__(self, log: Database, owner_id: int, timeout: float = CONFIRM_TIMEOUT) -> None:
        super().__init__(owner_id, timeout)
        self.log = log

    async def _settle(self, interaction: discord.Interaction, embed: discord.Embed) -> None:
        self.stop()
        self.disable()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirmation]) -> None:
        deleted = await self.log.forget_user(self.owner_id)
        message = f"Deleted {_plural(deleted)} and your feedback votes, in every server and in DMs."
        await self._settle(interaction, notice_embed("Your data was deleted", message, colour=ANSWERED_COLOUR))

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirmation]) -> None:
        await self._settle(interaction, notice_embed("Cancelled", KEPT))

    async def on_timeout(self) -> None:
        self.disable()
        await self.edit(embed=notice_embed("Timed out", f"{KEPT} Run /forget-me again if you want to."), view=self)


class PrivacyCog(commands.Cog):
    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.confirm_timeout = CONFIRM_TIMEOUT

    @app_commands.command(
        name="privacy", description="What corpusbot stores about you, who can read it, how to delete it"
    )
    async def privacy(self, interaction: discord.Interaction) -> None:
        embed = privacy_embed(self.bot.settings.log_retention_days, log_available=self.bot.service.database is not None)
        await reply_privately(interaction, embed=embed)

    @app_commands.command(name="forget-me", description="Delete every question you asked corpusbot, everywhere")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        log = self.bot.service.database
        if log is None:
            await reply_privately(interaction, embed=refusal_embed(NO_LOG))
            return
        await log.writer.flush()
        stored = await log.questions.count(LogFilter(user_id=interaction.user.id))
        prompt = notice_embed(
            "Delete your data?",
            f"This deletes the {_plural(stored)} stored with your user id — in every server and in DMs — and your "
            "feedback votes. It cannot be undone.",
            colour=ABSTAINED_COLOUR,
        )
        await ForgetConfirmation(log, interaction.user.id, self.confirm_timeout).send(interaction, embed=prompt)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(PrivacyCog(bot))
