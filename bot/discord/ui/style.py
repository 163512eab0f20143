"""The look every feature shares: colours by outcome, links that degrade gracefully, the error embed."""

from __future__ import annotations

import logging

import discord

from bot.discord.ui.fit import fit_embed
from bot.discord.ui.markup import clip, escape, safe_url
from bot.i18n import say

logger = logging.getLogger(__name__)

ANSWERED_COLOUR = discord.Colour(0x2ECC71)  # green
ABSTAINED_COLOUR = discord.Colour(0xF1C40F)  # amber
ERROR_COLOUR = discord.Colour(0xE74C3C)  # red
MODERATOR_COLOUR = discord.Colour(0x5865F2)  # blurple: informational, neither answer nor error

_LINK_LABEL_LIMIT = 150
_LINK_URL_LIMIT = 600


def link(label: str, url: str | None, limit: int) -> str:
    """`[label](url)`, falling back to the URL without its text fragment, then to the bare label."""
    text = escape(clip(label, _LINK_LABEL_LIMIT), inline=True) or "Untitled"
    target = safe_url(url or "")
    candidates = [target, target.split("#", 1)[0]] if target else []
    for candidate in candidates:
        if len(candidate) <= _LINK_URL_LIMIT and len(text) + len(candidate) + 4 <= limit:
            return f"[{text}]({candidate})"
    return text


def error_embed(message: str, *, lang: str = "en") -> discord.Embed:
    """A friendly failure message; the text is escaped because it may echo user input."""
    description = escape(message) or say("try_again", lang)
    return fit_embed(discord.Embed(title=say("error_title", lang), description=description, colour=ERROR_COLOUR))


def notice_embed(title: str, message: str, *, colour: discord.Colour = MODERATOR_COLOUR) -> discord.Embed:
    """A short titled message (refusals, confirmations); the text is escaped since it may echo input."""
    return fit_embed(discord.Embed(title=title, description=escape(message), colour=colour))


def refusal_embed(message: str, *, title: str = "Not available") -> discord.Embed:
    """A notice in the error colour: the user cannot do this here, and why."""
    return notice_embed(title, message, colour=ERROR_COLOUR)
