"""Plain-text rendering for the terminal: the same answer a channel gets, as readable text."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from bot.wording import line_label
from retrieval.models import Answer, Quote

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_WIDTH = 88


def _emphasise(quote: Quote, colour: bool) -> str:
    """The quote's text with matched query terms in bold when the terminal shows colour."""
    if not colour or not quote.highlights:
        return quote.text
    pieces, cursor = [], 0
    for start, end in sorted(quote.highlights):
        if start < cursor:
            continue
        pieces += [quote.text[cursor:start], _BOLD, quote.text[start:end], _RESET]
        cursor = end
    pieces.append(quote.text[cursor:])
    return "".join(pieces)


def format_quote(quote: Quote, number: int, *, colour: bool = False) -> str:
    """One numbered quote, wrapped, then its title, date, lines, score and link."""
    body = "\n".join("  > " + line for line in textwrap.wrap(_emphasise(quote, colour), width=_WIDTH))
    when = quote.date.isoformat() if quote.date else "undated"
    lines = line_label(quote.line_start, quote.line_end, "-")
    source = f"     — {quote.title} · {when} · {lines} · score {quote.score:.2f}\n       {quote.url}"
    if colour:
        source = f"{_DIM}{source}{_RESET}"
    return f"[{number}]\n{body}\n{source}"


def format_answer(answer: Answer, *, colour: bool = False) -> str:
    """An answer as the terminal shows it: quotes with sources, or the reason and closest passages."""
    out: list[str] = []
    if answer.notice:
        out.append(f"Note: {answer.notice}")
    if answer.answered:
        out.append(f"From the corpus (confidence {answer.confidence:.0%}, corpus {answer.corpus_version[:8]}):")
        out += [format_quote(q, i, colour=colour) for i, q in enumerate(answer.quotes, 1)]
        for conflict in answer.conflicts:
            figures = " vs ".join(
                f"“{written}” ({when.isoformat() if when else 'undated'})" for written, when, _ in conflict.figures
            )
            out.append(f"Sources differ on {conflict.subject}: {figures}")
    else:
        out.append(f"Not answered: {answer.reason}")
        if answer.suggestions:
            out.append("Closest passages:")
            out += [format_quote(q, i, colour=colour) for i, q in enumerate(answer.suggestions, 1)]
    return "\n".join(out)


def format_sources(records: Sequence[Mapping[str, Any]], version: str) -> str:
    """The documents as a short list under a count and the corpus version."""
    out = [f"{len(records)} documents · corpus {version}"]
    for record in records:
        when = record["date"] or "undated"
        if record["date_inferred"]:
            when += " (inferred)"
        out.append(
            f"- {record['title']}\n  {record['doc_id']} · {when} · {record['passages']} passages · "
            f"{record['sentences']} sentences\n  {record['url']}"
        )
    return "\n".join(out)
