"""A timeline as pages of Discord embeds, for a paginated `/timeline` reply.

Pure functions like `bot.discord.ask.render`: every page goes through `fit_embed`, and each event keeps its date and
its citations however long its sentence is, because an undated or unsourced quote is no timeline entry. An
event told in several places quotes its clearest sentence and lists the others as "also in: …" links.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Protocol

import discord

from bot.discord.ui.fit import DESCRIPTION_LIMIT, TITLE_LIMIT, fit_embed
from bot.discord.ui.markup import blockquote, clip, escape, safe_url, sanitize, truncate
from bot.discord.ui.style import ABSTAINED_COLOUR, ANSWERED_COLOUR, link
from bot.i18n import say, say_count
from bot.wording import TIMELINE_PAGE_SIZE

__all__ = ["PER_PAGE", "period_label", "timeline_pages", "timeline_title"]

logger = logging.getLogger(__name__)

PER_PAGE = TIMELINE_PAGE_SIZE
_MIN_CITATION = 60
_ALSO_TITLE = 40  # characters of another document's title in "also in"
_ALSO_LINK = 200  # longest "[title](url)" worth its room there
_MIN_LABEL = 16
_SOURCES_SHARE = 0.5  # of an event's room, at most this much goes to its citations


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
    """What a page needs of a dated event: its period, whether it is planned, the sentence and its sources."""

    @property
    def date(self) -> dt.date: ...
    @property
    def granularity(self) -> str: ...
    @property
    def qualifier(self) -> str | None: ...
    @property
    def decade(self) -> bool: ...
    @property
    def planned(self) -> bool: ...
    @property
    def text(self) -> str: ...
    @property
    def sources(self) -> Sequence[Source]: ...


def period_label(event: TimelineEvent, lang: str = "en") -> str:
    """The event's period as people write it, in ``lang``: "early Sep 2025" / "principios de sep 2025".

    Built from the period, not from the timeline's English ``label`` (which the English reads exactly like):
    "20 Dec 1989" / "20 dic 1989", "week of 22 Dec 2025" / "semana del 22 dic 2025", "2000s" / "los años 2000".
    """
    day = event.date
    month = say("months", lang).split()[day.month - 1]
    if event.granularity in ("day", "week", "month"):
        period = say(f"period_{event.granularity}", lang, day=day.day, month=month, year=day.year)
    else:
        period = say("period_decade" if event.decade else "period_year", lang, year=day.year)
    return say(f"period_{event.qualifier}", lang, period=period) if event.qualifier else period


def _citation(source: Source, limit: int, lang: str) -> str:
    """`— [Title](url) · lines 3–4` in at most ``limit`` characters, the line range always kept.

    A file path (no web address) cannot be opened from Discord, so it is shown as code instead of lines.
    """
    if safe_url(source.url):
        same = source.line_start == source.line_end
        lines = (
            say("line", lang, line=source.line_start)
            if same
            else say("lines", lang, first=source.line_start, last=source.line_end)
        )
        tail = f" · {lines}"
    else:
        tail = f" · `{sanitize(source.url.replace('`', ''), inline=True)}`"
    room = max(limit - len(tail) - 2, 8)
    label = source.title or source.doc_id
    target = safe_url(source.url)
    if target:  # shorten a long title rather than lose the link: the link is the citation
        label = clip(label, max(room - len(target.split("#", 1)[0]) - 4, _MIN_LABEL))
    return f"— {truncate(link(label, source.url, room), room)}{tail}"


def _line_ref(source: Source) -> str:
    same = source.line_start == source.line_end
    return f"L{source.line_start}" if same else f"L{source.line_start}–{source.line_end}"


def _places(first: Source, sources: Sequence[Source]) -> list[list[Source]]:
    """Sources by document, the quoted one's document first, one per place (two sentences of a line are one)."""
    groups: dict[str, dict[str, Source]] = {first.doc_id: {}}
    for source in sources:
        groups.setdefault(source.doc_id, {}).setdefault(source.url, source)
    return [list(places.values()) for places in groups.values() if places]


def _fitting(options: Sequence[str], room: int) -> str | None:
    return next((option for option in options if len(option) <= room), None)


def _names(source: Source) -> list[str]:
    """Ways to name another document, longest first: linked title, plain title, short plain title, file."""
    if not safe_url(source.url):
        return [f"`{sanitize(source.url.split('#', 1)[0].replace('`', ''), inline=True)}`"]
    title = source.title or source.doc_id
    return [link(clip(title, _ALSO_TITLE), source.url, _ALSO_LINK), escape(clip(title, _ALSO_TITLE), inline=True)]


def _also_in(first: Source, sources: Sequence[Source], limit: int, lang: str) -> str:
    """`also in: [L23](url), [L27](url) · [Other title](url) [L5](url)`: every other mention.

    Grouped by document (the quoted one's first, unnamed), linked while the room lasts, then plain, then counted.
    """
    groups = _places(first, sources)
    total = sum(len(group) for group in groups)
    if not total:
        return ""
    room = limit - len(" " + say("and_more", lang, count=total))
    text, shown = say("also_in", lang), 0
    for number, group in enumerate(groups):
        separator = " · " if number else " "
        name = "" if group[0].doc_id == first.doc_id else _fitting(_names(group[0]), room - len(text) - 12)
        if name is None:
            break
        text += separator + (f"{name} " if name else "")
        for index, source in enumerate(group):
            target = safe_url(source.url)
            ref = _line_ref(source)
            comma = ", " if index else ""
            piece = _fitting([f"{comma}[{ref}]({target})" if target else comma + ref, comma + ref], room - len(text))
            if piece is None:
                break
            text += piece
            shown += 1
        if shown < sum(len(g) for g in groups[: number + 1]):
            break
    text = text.rstrip(" ·")
    return text + (" " + say("and_more", lang, count=total - shown) if shown < total else "")


def _citations(sources: Sequence[Source], limit: int, lang: str) -> str:
    """The quoted sentence's citation, then "also in: …" for every other mention of the event."""
    first = _citation(sources[0], max(limit // 2, _MIN_CITATION), lang)
    also = _also_in(sources[0], sources[1:], max(limit - len(first) - 1, _MIN_CITATION), lang)
    return "\n".join(part for part in (first, also) if part)


def _event_block(event: TimelineEvent, limit: int, lang: str) -> str:
    """Bold date (and a planned marker), the sentence as a block quote, then its citation and "also in".

    Citations get at least ``_SOURCES_SHARE`` of the room, and whatever a short quote leaves.
    """
    planned = f" · _{say('planned', lang)}_" if event.planned else ""
    heading = f"**{escape(period_label(event, lang), inline=True)}**{planned}"
    whole = blockquote(escape(event.text))
    room = max(int(limit * _SOURCES_SHARE), limit - len(heading) - len(whole) - 2)
    citations = _citations(event.sources, room, lang)
    room = limit - len(heading) - len(citations) - 2
    quote = truncate(whole, room) if room > 0 else ""
    return "\n".join(part for part in (heading, quote, citations) if part)


def _footer(page: int, pages: int, count: int, corpus_version: str, lang: str) -> str:
    parts = [say("timeline_page", lang, page=page, pages=pages), say_count("events", count, lang)]
    if corpus_version:
        parts.append(say("corpus_version", lang, version=sanitize(corpus_version[:8], inline=True)))
    return " · ".join(parts)


def timeline_title(topic: str | None, lang: str = "en") -> str:
    """``Timeline · topic`` (or ``Cronología · …``), plain: `timeline_pages` escapes it."""
    return say("timeline_title_topic", lang, topic=topic) if topic else say("timeline_title", lang)


def timeline_pages(
    events: Sequence[TimelineEvent],
    *,
    title: str,
    corpus_version: str = "",
    per_page: int = PER_PAGE,
    lang: str = "en",
) -> list[discord.Embed]:
    """One embed per ``per_page`` events in the given order; a single friendly page when there are none.

    The bot's own words (footer, "also in", line ranges, the empty page) are in ``lang``; quotes stay verbatim.
    """
    heading = truncate(escape(title, inline=True), TITLE_LIMIT) or say("timeline_title", lang)
    if not events:
        embed = discord.Embed(title=heading, description=say("no_events", lang), colour=ABSTAINED_COLOUR)
        embed.set_footer(text=_footer(1, 1, 0, corpus_version, lang))
        return [fit_embed(embed)]
    per_page = max(1, per_page)
    chunks = [events[i : i + per_page] for i in range(0, len(events), per_page)]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        room = DESCRIPTION_LIMIT - 2 * (len(chunk) - 1)
        blocks = [_event_block(event, room // len(chunk), lang) for event in chunk]
        spare = room - sum(len(block) for block in blocks)
        if spare > len(chunk):  # short events leave room: share it, so long ones keep more quote and citations
            wider = [_event_block(event, room // len(chunk) + spare // len(chunk), lang) for event in chunk]
            blocks = wider if sum(len(block) for block in wider) <= room else blocks
        description = "\n\n".join(blocks)
        embed = discord.Embed(title=heading, description=description, colour=ANSWERED_COLOUR)
        embed.set_footer(text=_footer(number, len(chunks), len(events), corpus_version, lang))
        pages.append(fit_embed(embed))
    logger.debug("rendered %d events on %d pages", len(events), len(pages))
    return pages
