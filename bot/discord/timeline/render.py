"""A timeline as pages of Discord embeds, for a paginated `/timeline` reply.

Pure functions like `bot.discord.ask.render`: every page goes through `fit_embed`, and each event keeps its date and
its citations however long its sentence is, because an undated or unsourced quote is no timeline entry.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import discord

from bot.discord.ui.fit import DESCRIPTION_LIMIT, TITLE_LIMIT, fit_embed
from bot.discord.ui.markup import blockquote, clip, escape, safe_url, sanitize, truncate
from bot.discord.ui.style import ABSTAINED_COLOUR, ANSWERED_COLOUR, link
from bot.wording import line_label, plural

__all__ = ["MAX_SOURCES", "PER_PAGE", "timeline_pages"]

logger = logging.getLogger(__name__)

PER_PAGE = 6
MAX_SOURCES = 4  # citations shown per event; more documents are counted, not listed
_MIN_CITATION = 60
_MIN_LABEL = 16
_SOURCES_SHARE = 0.5  # of an event's room, at most this much goes to its citations
_NO_EVENTS = (
    "No dated events match. Try a broader topic, fewer words or a wider period; "
    "/timeline with no topic lists every dated event of the corpus."
)


class Source(Protocol):
    """What a citation needs of one document's telling (retrieval's timeline sources have it).

    Declared here so the Discord layer depends on the shape it renders, not on the timeline builder.
    """

    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def line_start(self) -> int: ...
    @property
    def line_end(self) -> int: ...


class TimelineEvent(Protocol):
    """What a page needs of a dated event: its label, whether it is planned, the sentence and its sources."""

    @property
    def label(self) -> str: ...
    @property
    def planned(self) -> bool: ...
    @property
    def text(self) -> str: ...
    @property
    def sources(self) -> Sequence[Source]: ...


def _citation(source: Source, limit: int) -> str:
    """`— [Title](url) · lines 3–4` in at most ``limit`` characters, the line range always kept.

    A file path (no web address) cannot be opened from Discord, so it is shown as code instead of lines.
    """
    if safe_url(source.url):
        lines = line_label(source.line_start, source.line_end)
        tail = f" · {lines}"
    else:
        tail = f" · `{sanitize(source.url.replace('`', ''), inline=True)}`"
    room = max(limit - len(tail) - 2, 8)
    label = source.title or source.doc_id
    target = safe_url(source.url)
    if target:  # shorten a long title rather than lose the link: the link is the citation
        label = clip(label, max(room - len(target.split("#", 1)[0]) - 4, _MIN_LABEL))
    return f"— {truncate(link(label, source.url, room), room)}{tail}"


def _citations(sources: Sequence[Source], limit: int) -> str:
    """Up to ``MAX_SOURCES`` citations sharing ``limit``, then how many more documents tell the event."""
    shown = sources[:MAX_SOURCES]
    each = max(limit // len(shown), _MIN_CITATION)
    lines = [_citation(source, each) for source in shown]
    if len(sources) > len(shown):
        lines.append(f"— and {len(sources) - len(shown)} more")
    return "\n".join(lines)


def _event_block(event: TimelineEvent, limit: int) -> str:
    """Bold date (and a planned marker), the sentence as a block quote, then one citation per source."""
    heading = f"**{escape(event.label, inline=True)}**" + (" · _planned_" if event.planned else "")
    citations = _citations(event.sources, int(limit * _SOURCES_SHARE))
    room = limit - len(heading) - len(citations) - 2
    quote = truncate(blockquote(escape(event.text)), room) if room > 0 else ""
    return "\n".join(part for part in (heading, quote, citations) if part)


def _footer(page: int, pages: int, count: int, corpus_version: str) -> str:
    parts = [f"page {page}/{pages}", plural(count, "event")]
    if corpus_version:
        parts.append(f"corpus {sanitize(corpus_version[:8], inline=True)}")
    return " · ".join(parts)


def timeline_pages(
    events: Sequence[TimelineEvent], *, title: str, corpus_version: str = "", per_page: int = PER_PAGE
) -> list[discord.Embed]:
    """One embed per ``per_page`` events in the given order; a single friendly page when there are none."""
    heading = truncate(escape(title, inline=True), TITLE_LIMIT) or "Timeline"
    if not events:
        embed = discord.Embed(title=heading, description=_NO_EVENTS, colour=ABSTAINED_COLOUR)
        embed.set_footer(text=_footer(1, 1, 0, corpus_version))
        return [fit_embed(embed)]
    per_page = max(1, per_page)
    chunks = [events[i : i + per_page] for i in range(0, len(events), per_page)]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        each = (DESCRIPTION_LIMIT - 2 * (len(chunk) - 1)) // len(chunk)
        description = "\n\n".join(_event_block(event, each) for event in chunk)
        embed = discord.Embed(title=heading, description=description, colour=ANSWERED_COLOUR)
        embed.set_footer(text=_footer(number, len(chunks), len(events), corpus_version))
        pages.append(fit_embed(embed))
    logger.debug("rendered %d events on %d pages", len(events), len(pages))
    return pages
