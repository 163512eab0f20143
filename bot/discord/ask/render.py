"""Answers, sources, help and errors as Discord embeds that always fit Discord's limits.

Pure functions: no client, no network. Every embed goes through `fit_embed`, and every quote keeps its
citation line however long the quote is, because a quote without its source is worse than a shorter one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import discord

from bot.discord.ui.fit import DESCRIPTION_LIMIT, TITLE_LIMIT, fit_content, fit_embed
from bot.discord.ui.markup import blockquote, clip, escape, highlighted, safe_url, sanitize, truncate
from bot.discord.ui.style import ABSTAINED_COLOUR, ANSWERED_COLOUR, ERROR_COLOUR, error_embed, link
from bot.wording import line_label, plural
from retrieval.models import Answer, Quote

__all__ = [
    "ABSTAINED_COLOUR",
    "ANSWERED_COLOUR",
    "ERROR_COLOUR",
    "answer_embed",
    "context_embed",
    "error_embed",
    "escape",
    "fit_content",
    "fit_embed",
    "help_embed",
    "next_start",
    "sources_embed",
]

logger = logging.getLogger(__name__)

MAX_SHOW = 10
_HEADER_LIMIT = 1024  # notice + conflict lines never crowd out the quotes
_PARAGRAPH_WINDOW = 3000
_DEFAULT_INTRO = (
    "I answer questions with verbatim quotes from a fixed corpus of news articles, "
    "each linked to the exact lines it comes from."
)


def _when(day: date | None) -> str:
    return day.isoformat() if day else "undated"


def _citation(quote: Quote, limit: int) -> str:
    """`— [Title](url) · 2025-12-29`, at most ``limit`` characters.

    A corpus without web addresses links to files (`seeds/x.txt#L3-L4`): Discord cannot open those,
    so the file and lines are shown as text instead, still enough to find the quote.
    """
    tail = f" · {_when(quote.date)}"
    if not safe_url(quote.url or ""):
        tail += f" · `{sanitize(quote.url.replace('`', ''), inline=True)}`" if quote.url else ""
    return truncate(f"— {link(quote.title, quote.url, limit - len(tail) - 2)}{tail}", limit)


def _quote_block(quote: Quote, limit: int) -> str:
    """The quote as a block quote with bold highlights, then its citation, which is sized first."""
    citation = _citation(quote, max(limit // 2, 40))
    body = truncate(blockquote(highlighted(quote.text, quote.highlights)), limit - len(citation) - 1)
    return f"{body}\n{citation}" if body else citation


def _quote_blocks(quotes: Sequence[Quote], limit: int) -> str:
    """Share ``limit`` evenly so every quote on the page keeps its citation."""
    if not quotes:
        return ""
    each = (limit - 2 * (len(quotes) - 1)) // len(quotes)
    return "\n\n".join(_quote_block(quote, each) for quote in quotes)


def _page(answer: Answer, start: int, show: int) -> tuple[list[Quote], int, int]:
    """The quotes on this page, its clamped start, and the size of the whole pool."""
    pool = [*answer.quotes, *answer.more] if answer.answered else list(answer.suggestions)
    show = max(1, min(show, MAX_SHOW))
    start = max(0, min(start, len(pool)))
    return pool[start : start + show], start, len(pool)


def next_start(answer: Answer, start: int = 0, show: int = 3) -> int | None:
    """Where the "More" page after this one starts, or None when there is nothing more to show."""
    page, start, total = _page(answer, start, show)
    following = start + len(page)
    return following if following < total else None


def _footer(answer: Answer, start: int, shown: int, total: int) -> str:
    confidence = round(min(max(answer.confidence, 0.0), 1.0) * 100)
    parts = [f"Confidence {confidence}%"]
    if answer.corpus_version:
        parts.append(f"corpus {sanitize(answer.corpus_version[:8], inline=True)}")
    if shown and (start > 0 or shown < total):
        parts.append(f"quotes {start + 1}–{start + shown} of {total}")
    return " · ".join(parts)


def _header(answer: Answer) -> str:
    """Notice and "sources differ" lines shown above the quotes."""
    lines: list[str] = []
    if answer.notice:
        lines.append(f"ℹ️ {escape(answer.notice, inline=True)}")
    for conflict in answer.conflicts:
        figures = " · ".join(
            f"“{escape(clip(figure, 100), inline=True)}” ({_when(day)})" for figure, day, _ in conflict.figures
        )
        subject = escape(clip(conflict.subject, 80), inline=True)
        lines.append(f"⚖️ Sources differ{f' on {subject}' if subject else ''}: {figures}")
    return truncate("\n".join(lines), _HEADER_LIMIT)


def _title(prefix: str, text: str) -> str:
    return truncate(prefix + escape(text, inline=True), TITLE_LIMIT)


def answer_embed(answer: Answer, *, start: int = 0, show: int = 3) -> discord.Embed:
    """One embed for an answer: quotes ``start``..``start+show`` of quotes+more (suggestions if abstained).

    Pass a later ``start`` (see `next_start`) to render the page behind a "More" button.
    """
    page, start, total = _page(answer, start, show)
    intro = _header(answer) if start == 0 else ""  # notice and conflicts belong to the first page
    if answer.answered:
        title, colour, heading = _title("", answer.question) or "Your question", ANSWERED_COLOUR, ""
        empty = "No more quotes."
    else:
        title, colour = _title("Not in the corpus: ", answer.question), ABSTAINED_COLOUR
        reason = escape(answer.reason or "The corpus does not answer this question.")
        intro = "\n\n".join(part for part in (reason, intro) if part)
        heading, empty = "**Closest passages**\n", "No passage came close."
    fixed = f"{intro}\n\n{heading}" if intro else heading
    body = _quote_blocks(page, DESCRIPTION_LIMIT - len(fixed)) or empty
    embed = discord.Embed(title=title, description=fixed + body, colour=colour)
    embed.set_footer(text=_footer(answer, start, len(page), total))
    logger.debug("rendered %s page at %d: %d of %d quotes", colour, start, len(page), total)
    return fit_embed(embed)


def _window(paragraph: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """A slice of a long paragraph centred on ``span``, cut at spaces and marked "…"; span shifted to it."""
    if len(paragraph) <= _PARAGRAPH_WINDOW:
        return paragraph, span
    low, high = span if span else (0, 0)
    begin = max(0, min(low - max(0, _PARAGRAPH_WINDOW - (high - low)) // 2, len(paragraph) - _PARAGRAPH_WINDOW))
    end = begin + _PARAGRAPH_WINDOW
    if begin > 0:
        space = paragraph.find(" ", begin, low if span else end)
        begin = space + 1 if space >= 0 else begin
    if end < len(paragraph):
        space = paragraph.rfind(" ", max(high, begin), end)
        end = space if space > 0 else end
    lead = "…" if begin > 0 else ""
    text = lead + paragraph[begin:end] + ("…" if end < len(paragraph) else "")
    shifted = (low - begin + len(lead), min(high, end) - begin + len(lead)) if span else None
    return text, shifted


def context_embed(quote: Quote, paragraph: str, paragraph_highlight: tuple[int, int] | None) -> discord.Embed:
    """The whole paragraph around a quote, the quote itself in bold, with its source line."""
    text, span = _window(paragraph, paragraph_highlight)
    citation = _citation(quote, DESCRIPTION_LIMIT // 2)
    body = truncate(blockquote(highlighted(text, [span] if span else [])), DESCRIPTION_LIMIT - len(citation) - 1)
    lines = line_label(quote.line_start, quote.line_end)
    embed = discord.Embed(
        title=_title("Context: ", quote.title or "Untitled"),
        description=f"{body}\n{citation}" if body else citation,
        colour=ANSWERED_COLOUR,
    )
    embed.set_footer(text=f"{_when(quote.date)} · {lines}")
    return fit_embed(embed)


def _source_line(source: Mapping[str, Any]) -> str:
    day = source.get("date")
    when = escape(str(day), inline=True) if day else "undated"
    if day and source.get("date_inferred"):
        when += " (inferred)"
    title = link(str(source.get("title") or source.get("doc_id") or ""), str(source.get("url") or ""), 800)
    counts = f"{plural(int(source['passages']), 'passage')}, {plural(int(source['sentences']), 'sentence')}"
    return f"• {title} · {when} · {counts}"


def sources_embed(sources: Sequence[Mapping[str, Any]], *, corpus_version: str) -> discord.Embed:
    """The corpus's documents, as many as fit, then "… and N more"."""
    lines: list[str] = []
    used = 0
    reserve = len("… and 000000 more") + 1
    for source in sources:
        line = _source_line(source)
        if used + len(line) + 1 > DESCRIPTION_LIMIT - reserve:
            break
        lines.append(line)
        used += len(line) + 1
    hidden = len(sources) - len(lines)
    if hidden:
        lines.append(f"… and {hidden} more")
    embed = discord.Embed(
        title=f"Sources · {plural(len(sources), 'document')}",
        description="\n".join(lines) or "The corpus is empty.",
        colour=ANSWERED_COLOUR,
    )
    if corpus_version:
        embed.set_footer(text=f"corpus {sanitize(corpus_version[:8], inline=True)}")
    return fit_embed(embed)


def help_embed(commands: Sequence[tuple[str, str]], *, intro: str = _DEFAULT_INTRO) -> discord.Embed:
    """The command list: `**name** — description` per line under a short introduction."""
    lines = [f"**{escape(name, inline=True)}** — {escape(text, inline=True)}" for name, text in commands]
    description = "\n".join([escape(intro), "", *lines]) if lines else escape(intro)
    return fit_embed(discord.Embed(title="How to use me", description=description, colour=ANSWERED_COLOUR))
