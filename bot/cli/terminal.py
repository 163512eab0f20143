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
    """One numbered quote, wrapped (code keeps its lines), then its section, date, lines or page, score and link."""
    lead = ["  > " + line for line in textwrap.wrap(quote.lead, width=_WIDTH)] if quote.lead else []
    if quote.kind == "code":  # code keeps its lines and indentation
        text = ["  | " + line for line in quote.text.split("\n")]
    else:
        text = ["  > " + line for line in textwrap.wrap(_emphasise(quote, colour), width=_WIDTH)]
    body = "\n".join([*lead, *text])
    when = quote.date.isoformat() if quote.date else "undated"
    lines = f"page {quote.page}" if quote.page else line_label(quote.line_start, quote.line_end, "-")
    source = f"     — {quote.section} · {when} · {lines} · score {quote.score:.2f}\n       {quote.url}"
    if colour:
        source = f"{_DIM}{source}{_RESET}"
    return f"[{number}]\n{body}\n{source}"


def format_answer(answer: Answer, *, colour: bool = False) -> str:
    """An answer as the terminal shows it: quotes with sources, or the reason and closest passages."""
    out: list[str] = []
    if answer.notice:
        out.append(f"Note: {answer.notice}")
    if answer.corrected:
        out.append(f"Showing results for: {answer.corrected}")
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


def format_sources(records: Sequence[Mapping[str, Any]], version: str, skipped: str = "") -> str:
    """The documents, then ``skipped`` (the files not read, with reasons) when there are any."""
    out = [f"{len(records)} documents · corpus {version}"]
    for record in records:
        when = record["date"] or "undated"
        if record["date_inferred"]:
            when += " (inferred)"
        out.append(
            f"- {record['title']}\n  {record['doc_id']} · {when} · {record['passages']} passages · "
            f"{record['sentences']} sentences\n  {record['url']}"
        )
    if skipped:
        out.append(skipped)
    return "\n".join(out)
