"""The gate in front of question commands, as Discord shows it: the policy decides, this replies."""

from __future__ import annotations

import logging

import discord

from bot.discord.ui.messages import DISABLED, cooldown_message
from bot.discord.ui.replies import reply_privately
from bot.discord.ui.style import error_embed
from bot.services.policy import Admission, ReplyPolicy

logger = logging.getLogger(__name__)


async def admitted(policy: ReplyPolicy, interaction: discord.Interaction, chosen: bool | None) -> Admission | None:
    """The policy's admission of this interaction; when refused, the user is told privately and None returned."""
    admission = await policy.admit(interaction.guild_id, interaction.channel_id, interaction.user.id, chosen)
    if admission.refusal == "disabled":
        await reply_privately(interaction, embed=error_embed(DISABLED))
        return None
    if admission.refusal == "cooldown":
        await reply_privately(interaction, content=cooldown_message(admission.wait))
        return None
    return admission
