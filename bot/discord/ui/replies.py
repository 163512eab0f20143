"""Replying safely: nobody is ever pinged, and private replies work before or after an acknowledgement."""

from __future__ import annotations

import logging
from typing import Any

import discord

logger = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()


async def reply_privately(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Answer the person who clicked or typed, visible only to them."""
    kwargs.setdefault("allowed_mentions", NONE)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=True, **kwargs)
