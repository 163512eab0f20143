"""The gate in front of question commands, as Discord shows it: the policy decides, this replies."""

from __future__ import annotations

import logging

import discord

from bot.discord.overload import Load
from bot.discord.ui.messages import BUSY, DISABLED, SETTINGS_UNKNOWN, cooldown_message
from bot.discord.ui.replies import reply_privately
from bot.discord.ui.style import error_embed
from bot.services.policy import Admission, ReplyPolicy

logger = logging.getLogger(__name__)


async def admitted(
    policy: ReplyPolicy, interaction: discord.Interaction, chosen: bool | None, load: Load
) -> Admission | None:
    """The policy's admission of this interaction; when refused, the user is told privately and None returned.

    Load comes first: an interaction too old to acknowledge gets nothing (a reply would fail too), and
    past the answer queue's capacity the user is told at once to try again in a few seconds.
    """
    if load.deadline.missed(interaction.created_at):
        load.expired.add()
        return None
    if load.queue.shed():
        await reply_privately(interaction, content=BUSY)
        return None
    admission = await policy.admit(interaction.guild_id, interaction.channel_id, interaction.user.id, chosen)
    if admission.refusal in ("disabled", "settings unknown"):
        refusal = DISABLED if admission.refusal == "disabled" else SETTINGS_UNKNOWN
        await reply_privately(interaction, embed=error_embed(refusal))
        return None
    if admission.refusal == "cooldown":
        await reply_privately(interaction, content=cooldown_message(admission.wait))
        return None
    return admission
