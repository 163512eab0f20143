"""The gate in front of question commands, as Discord shows it: the policy decides, this replies."""

from __future__ import annotations

import logging

import discord

from bot.discord.overload import Load
from bot.discord.ui.places import settings_channel_id
from bot.discord.ui.replies import reply_privately
from bot.discord.ui.style import error_embed
from bot.i18n import language, say
from bot.services.policy import Admission, ReplyPolicy

logger = logging.getLogger(__name__)


async def admitted(
    policy: ReplyPolicy, interaction: discord.Interaction, chosen: bool | None, load: Load
) -> Admission | None:
    """The policy's admission of this interaction.

    When refused, the user is told privately (in their language) and None is returned. Load comes
    first: an interaction too old to acknowledge gets nothing (a reply would fail too), and past the
    answer queue's capacity the user is told at once to try again in a few seconds. In a thread, the
    parent channel's settings apply.
    """
    if load.deadline.missed(interaction.created_at):
        load.expired.add()
        return None
    lang = language(interaction.locale)
    if load.queue.shed():
        await reply_privately(interaction, content=say("busy", lang))
        return None
    channel_id = settings_channel_id(interaction.channel) or interaction.channel_id
    admission = await policy.admit(interaction.guild_id, channel_id, interaction.user.id, chosen)
    if admission.refusal in ("disabled", "settings unknown"):
        refusal = say("disabled" if admission.refusal == "disabled" else "settings_unknown", lang)
        await reply_privately(interaction, embed=error_embed(refusal, lang=lang))
        return None
    if admission.refusal == "cooldown":
        await reply_privately(interaction, content=say("cooldown", lang, seconds=f"{admission.wait:.0f}"))
        return None
    return admission
