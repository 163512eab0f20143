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
from bot.i18n import MESSAGES, say, say_count
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


def _when(day: date | None, lang: str = "en") -> str:
    return day.isoformat() if day else say("undated", lang)


def _citation(quote: Quote, limit: int, lang: str = "en") -> str:
    """`— [Title](url) · 2025-12-29`, at most ``limit`` characters.

    A corpus without web addresses links to files (`seeds/x.txt#L3-L4`): Discord cannot open those,
    so the file and lines are shown as text instead, still enough to find the quote.
    """
    tail = f" · {_when(quote.date, lang)}" + (f" · p. {quote.page}" if quote.page else "")
    if not safe_url(quote.url or ""):
        tail += f" · `{sanitize(quote.url.replace('`', ''), inline=True)}`" if quote.url else ""
    return truncate(f"— {link(quote.section, quote.url, limit - len(tail) - 2)}{tail}", limit)


def _quote_block(quote: Quote, limit: int, lang: str) -> str:
    """The quote as a block quote with bold highlights, then its citation, which is sized first.

    Code is quoted in a fence, a table row under its header, a block introduced by a sentence after it.
    """
    citation = _citation(quote, max(limit // 2, 40), lang)
    room = limit - len(citation) - 1
    lead = truncate(blockquote(escape(quote.lead)), room // 3) + "\n" if quote.lead else ""
    if quote.kind == "code":
        body = lead + _code_fence(quote.text, room - len(lead))
    else:
        body = truncate(lead + blockquote(highlighted(quote.text, quote.highlights)), room)
    return f"{body}\n{citation}" if body else citation


def _code_fence(code: str, limit: int) -> str:
    """Code quoted whole in a fence, cut (marked "…") before fencing: a cut fence would swallow what follows."""
    body = sanitize(code).replace("```", "`\u200b``")
    if len(body) + 8 > limit:
        body = body[: max(0, limit - 9)] + "…"
    return f"```\n{body}\n```" if limit >= 9 else ""


def _quote_blocks(quotes: Sequence[Quote], limit: int, lang: str) -> str:
    """Share ``limit`` evenly so every quote on the page keeps its citation."""
    if not quotes:
        return ""
    each = (limit - 2 * (len(quotes) - 1)) // len(quotes)
    return "\n\n".join(_quote_block(quote, each, lang) for quote in quotes)


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


def _footer(answer: Answer, start: int, shown: int, total: int, lang: str) -> str:
    confidence = round(min(max(answer.confidence, 0.0), 1.0) * 100)
    parts = [say("confidence", lang, percent=confidence)]
    if answer.corpus_version:
        parts.append(say("corpus_version", lang, version=sanitize(answer.corpus_version[:8], inline=True)))
    if shown and (start > 0 or shown < total):
        parts.append(say("quotes_range", lang, first=start + 1, last=start + shown, total=total))
    return " · ".join(parts)


def _reason(answer: Answer, lang: str) -> str:
    """Why the corpus does not answer, in ``lang``: the catalogue's sentence for the composer's reason code.

    The words a reason names come from the question, so they are escaped; an unknown code keeps the English.
    """
    key = f"reason_{answer.reason_code}"
    if answer.reason_code and key in MESSAGES:
        words = ", ".join(say("quoted_word", lang, word=escape(clip(w, 60), inline=True)) for w in answer.reason_terms)
        return say(key, lang, words=words) if words else say(key, lang)
    return escape(answer.reason or say("corpus_lacks", lang))


def _notice(answer: Answer, lang: str) -> str:
    """The composer's notice (e.g. the question was cut) in ``lang``, or its English text for an unknown code."""
    if answer.notice_code == "question_cut":
        return say("notice_question_cut", lang, limit=answer.cut_at)
    return escape(answer.notice or "", inline=True)


def _header(answer: Answer, lang: str) -> str:
    """Notice and "sources differ" lines shown above the quotes."""
    lines: list[str] = []
    if answer.notice:
        lines.append(f"ℹ️ {_notice(answer, lang)}")
    if answer.corrected:
        shown = escape(clip(answer.corrected, 200), inline=True)
        lines.append(f"🔎 {say('showing_results_for', lang, question=shown)}")
    for conflict in answer.conflicts:
        figures = " · ".join(
            f"“{escape(clip(figure, 100), inline=True)}” ({_when(day, lang)})" for figure, day, _ in conflict.figures
        )
        subject = escape(clip(conflict.subject, 80), inline=True)
        differ = say("sources_differ_on", lang, subject=subject) if subject else say("sources_differ", lang)
        lines.append(f"⚖️ {differ}: {figures}")
    return truncate("\n".join(lines), _HEADER_LIMIT)


def _title(prefix: str, text: str) -> str:
    return truncate(prefix + escape(text, inline=True), TITLE_LIMIT)


def answer_embed(answer: Answer, *, start: int = 0, show: int = 3, lang: str = "en") -> discord.Embed:
    """One embed for an answer: quotes ``start``..``start+show`` of quotes+more (suggestions if abstained).

    Pass a later ``start`` (see `next_start`) to render the page behind a "More" button. The bot's own
    words are in ``lang``; the quotes stay verbatim.
    """
    page, start, total = _page(answer, start, show)
    intro = _header(answer, lang) if start == 0 else ""  # notice and conflicts belong to the first page
    if answer.answered:
        title, colour, heading = _title("", answer.question) or say("your_question", lang), ANSWERED_COLOUR, ""
        empty = say("no_more_quotes", lang)
    else:
        title, colour = _title(say("not_in_corpus", lang), answer.question), ABSTAINED_COLOUR
        intro = "\n\n".join(part for part in (_reason(answer, lang), intro) if part)
        heading, empty = f"**{say('closest', lang)}**\n", say("nothing_close", lang)
    fixed = f"{intro}\n\n{heading}" if intro else heading
    body = _quote_blocks(page, DESCRIPTION_LIMIT - len(fixed), lang) or empty
    embed = discord.Embed(title=title, description=fixed + body, colour=colour)
    embed.set_footer(text=_footer(answer, start, len(page), total, lang))
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


def context_embed(
    quote: Quote, paragraph: str, paragraph_highlight: tuple[int, int] | None, *, lang: str = "en"
) -> discord.Embed:
    """The whole paragraph around a quote, the quote itself in bold, with its source line."""
    text, span = _window(paragraph, paragraph_highlight)
    citation = _citation(quote, DESCRIPTION_LIMIT // 2, lang)
    body = truncate(blockquote(highlighted(text, [span] if span else [])), DESCRIPTION_LIMIT - len(citation) - 1)
    lines = (
        say("line", lang, line=quote.line_start)
        if quote.line_start == quote.line_end
        else say("lines", lang, first=quote.line_start, last=quote.line_end)
    )
    embed = discord.Embed(
        title=_title(say("context_title", lang), quote.title or say("untitled", lang)),
        description=f"{body}\n{citation}" if body else citation,
        colour=ANSWERED_COLOUR,
    )
    embed.set_footer(text=f"{_when(quote.date, lang)} · {lines}")
    return fit_embed(embed)


def _source_line(source: Mapping[str, Any], lang: str) -> str:
    day = source.get("date")
    when = escape(str(day), inline=True) if day else say("undated", lang)
    if day and source.get("date_inferred"):
        when += f" {say('inferred', lang)}"
    title = link(str(source.get("title") or source.get("doc_id") or ""), str(source.get("url") or ""), 800)
    passages = say_count("passages", int(source["passages"]), lang)
    counts = f"{passages}, {say_count('sentences', int(source['sentences']), lang)}"
    return f"• {title} · {when} · {counts}"


def sources_embed(
    sources: Sequence[Mapping[str, Any]], *, corpus_version: str, skipped: str = "", lang: str = "en"
) -> discord.Embed:
    """The corpus's documents, as many as fit, then "… and N more".

    ``skipped`` (files not read, with reasons) goes in the footer.
    """
    lines: list[str] = []
    used = 0
    reserve = len(say("and_more", lang, count=999999)) + 1
    for source in sources:
        line = _source_line(source, lang)
        if used + len(line) + 1 > DESCRIPTION_LIMIT - reserve:
            break
        lines.append(line)
        used += len(line) + 1
    hidden = len(sources) - len(lines)
    if hidden:
        lines.append(say("and_more", lang, count=hidden))
    embed = discord.Embed(
        title=say("sources_heading", lang, documents=say_count("documents", len(sources), lang)),
        description="\n".join(lines) or say("empty_corpus", lang),
        colour=ANSWERED_COLOUR,
    )
    footer = [f"corpus {sanitize(corpus_version[:8], inline=True)}"] if corpus_version else []
    if skipped:
        footer.append(sanitize(skipped, inline=True))
    if footer:
        embed.set_footer(text=" · ".join(footer))
    return fit_embed(embed)


def help_embed(commands: Sequence[tuple[str, str]], *, intro: str | None = None, lang: str = "en") -> discord.Embed:
    """The command list: `**name** — description` per line under a short introduction."""
    intro = say("help_intro", lang) if intro is None else intro
    lines = [f"**{escape(name, inline=True)}** — {escape(text, inline=True)}" for name, text in commands]
    description = "\n".join([escape(intro), "", *lines]) if lines else escape(intro)
    return fit_embed(discord.Embed(title=say("help_title", lang), description=description, colour=ANSWERED_COLOUR))
