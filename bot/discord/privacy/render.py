"""The privacy notice as a Discord embed: exactly what is stored, who reads it, for how long, how to delete it."""

from __future__ import annotations

import discord

from bot.discord.ui.fit import fit_embed
from bot.discord.ui.style import MODERATOR_COLOUR
from bot.i18n import say


def privacy_embed(retention_days: int, *, log_available: bool, lang: str = "en") -> discord.Embed:
    """Exactly what is stored, who can read it, for how long, and how to delete it, in ``lang``."""
    parts = [
        say("privacy_stored", lang),
        say("privacy_opted_out", lang),
        say("privacy_readers", lang),
        say("privacy_retention", lang, days=retention_days),
        say("privacy_deletion", lang),
    ]
    if not log_available:
        parts.insert(0, say("privacy_unavailable", lang))
    description = "\n\n".join(parts)
    title = say("privacy_title", lang)
    return fit_embed(discord.Embed(title=title, description=description, colour=MODERATOR_COLOUR))
