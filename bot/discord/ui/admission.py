"""The gate in front of question commands, as Discord shows it: the policy decides, this replies."""

from __future__ import annotations

import logging

import discord

from bot.discord.ui.places import settings_channel_id
from bot.discord.ui.replies import reply_privately
from bot.discord.ui.style import error_embed
from bot.i18n import language, say
from bot.services.policy import Admission, ReplyPolicy

logger = logging.getLogger(__name__)


async def admitted(policy: ReplyPolicy, interaction: discord.Interaction, chosen: bool | None) -> Admission | None:
    """The policy's admission of this interaction.

    When refused, the user is told privately (in their language) and None is returned. In a thread,
    the parent channel's settings apply.
    """
    channel_id = settings_channel_id(interaction.channel) or interaction.channel_id
    admission = await policy.admit(interaction.guild_id, channel_id, interaction.user.id, chosen)
    lang = language(interaction.locale)
    if admission.refusal == "disabled":
        await reply_privately(interaction, embed=error_embed(say("disabled", lang), lang=lang))
        return None
    if admission.refusal == "cooldown":
        await reply_privately(interaction, content=say("cooldown", lang, seconds=f"{admission.wait:.0f}"))
        return None
    return admission
