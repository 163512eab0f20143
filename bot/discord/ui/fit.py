"""Discord's size limits, enforced by graceful truncation rather than a rejected message.

Discord answers an over-long embed with HTTP 400 and the user sees nothing, so every embed the bot
sends passes through `fit_embed`. Lengths are counted in code points, as Discord's API does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord

from bot.discord.ui.markup import truncate

logger = logging.getLogger(__name__)

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
URL_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
_MIN_FIELD_VALUE = 64  # below this a shortened field is noise; drop it instead
_BLANK = "\u200b"  # Discord rejects empty field names/values


@dataclass
class _Parts:
    """The text-bearing parts of an embed that count towards the 6000-character total."""

    title: str
    description: str
    fields: list[tuple[str, str, bool]]
    footer: str
    author: str

    def total(self) -> int:
        fields = sum(len(name) + len(value) for name, value, _ in self.fields)
        return len(self.title) + len(self.description) + fields + len(self.footer) + len(self.author)


def fit_content(text: str) -> str:
    """Plain message content within Discord's 2000-character limit."""
    return truncate(text, CONTENT_LIMIT)


_PLAIN = ("footer", "author")  # Discord shows these without markdown, so nothing there needs closing


def _shorten(text: str, by: int, *, markup: bool = True) -> str:
    return truncate(text, max(0, len(text) - by), markup=markup)


def _fit_total(parts: _Parts) -> None:
    """Bring the total under 6000: trailing fields go first, then description, footer, author, title."""
    excess = parts.total() - EMBED_TOTAL_LIMIT
    while excess > 0 and parts.fields:
        name, value, inline = parts.fields[-1]
        if len(value) - excess >= _MIN_FIELD_VALUE:
            parts.fields[-1] = (name, _shorten(value, excess), inline)
        else:
            parts.fields.pop()
        excess = parts.total() - EMBED_TOTAL_LIMIT
    for attr in ("description", "footer", "author", "title"):
        if excess <= 0:
            return
        setattr(parts, attr, _shorten(getattr(parts, attr), excess, markup=attr not in _PLAIN))
        excess = parts.total() - EMBED_TOTAL_LIMIT


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """A copy of ``embed`` guaranteed to be within every Discord embed limit.

    Each text is cut at a word boundary with "…" and its markdown kept well-formed; fields beyond 25 are
    dropped, and if the whole is still over 6000 characters the least important parts shrink first.
    """
    fields = [
        (
            truncate(field.name or "", FIELD_NAME_LIMIT) or _BLANK,
            truncate(field.value or "", FIELD_VALUE_LIMIT) or _BLANK,
            bool(field.inline),
        )
        for field in embed.fields[:FIELD_COUNT_LIMIT]
    ]
    if len(embed.fields) > FIELD_COUNT_LIMIT:
        logger.warning("embed had %d fields; dropped those beyond %d", len(embed.fields), FIELD_COUNT_LIMIT)
    parts = _Parts(
        title=truncate(embed.title or "", TITLE_LIMIT),
        description=truncate(embed.description or "", DESCRIPTION_LIMIT),
        fields=fields,
        footer=truncate(embed.footer.text or "", FOOTER_LIMIT, markup=False),
        author=truncate(embed.author.name or "", AUTHOR_NAME_LIMIT, markup=False),
    )
    _fit_total(parts)

    fitted = discord.Embed.from_dict(embed.to_dict())
    fitted.title = parts.title or None
    fitted.description = parts.description or None
    if fitted.url and len(fitted.url) > URL_LIMIT:
        fitted.url = None
    fitted.clear_fields()
    for name, value, inline in parts.fields:
        fitted.add_field(name=name, value=value, inline=inline)
    if embed.footer.text is not None or embed.footer.icon_url is not None:
        fitted.set_footer(text=parts.footer or None, icon_url=embed.footer.icon_url)
    if embed.author.name is not None:
        fitted.set_author(name=parts.author or _BLANK, url=embed.author.url, icon_url=embed.author.icon_url)
    return fitted
