"""The privacy notice as a Discord embed: exactly what is stored, who reads it, for how long, how to delete it."""

from __future__ import annotations

import discord

from bot.discord.ui.fit import fit_embed
from bot.discord.ui.style import MODERATOR_COLOUR


def privacy_embed(retention_days: int, *, log_available: bool) -> discord.Embed:
    """Exactly what is stored, who can read it, for how long, and how to delete it."""
    stored = (
        "When you ask me something (`/ask`, `/timeline`, or a message that mentions me), I store one row: "
        "the time, the server and channel ids, **your user id**, **your question text**, whether I answered "
        "(and why not), which corpus passages I quoted, a relevance score, how long it took and the corpus "
        "version. A 👍/👎 click stores your user id and your vote. Nothing else: not your name, not other "
        "messages (I only read messages that mention me)."
    )
    opted_out = (
        "In channels where the moderators turned question logging off, the row keeps only the counts "
        "(time, server, channel, answered or not, passages quoted) — never the question text or your user id."
    )
    readers = (
        "**Moderators of a server** (Manage Messages, or the moderator role) can read and export the rows "
        "of *that* server with `/logs` and `/stats` — never another server's, never your DMs with me. The "
        "people who run this bot can read the whole database."
    )
    retention = f"Rows and votes are deleted automatically after **{retention_days} days**."
    deletion = (
        "`/forget-me` deletes every question you asked me, in every server and in DMs, together with your "
        "votes and the votes on your answers, right away. Questions you ask afterwards are stored again."
    )
    parts = [stored, opted_out, readers, retention, deletion]
    if not log_available:
        parts.insert(0, "⚠️ The question log is unavailable right now, so nothing is being stored.")
    description = "\n\n".join(parts)
    return fit_embed(discord.Embed(title="What corpusbot stores", description=description, colour=MODERATOR_COLOUR))
