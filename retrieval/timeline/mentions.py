"""Temporal expressions of a sentence, normalised against the document's date, for ``/timeline``.

The grammar (``temporal_grammar``) finds spans with the project's own rules; this module decides the
tense of the clause around each span, so a year-less "March 26" in "a meeting is planned for March 26"
is the *next* March 26 (and marked planned) while in "talks began on March 26" it is the last one, and
threads "the next day" through the sentences of a paragraph. No whole-text date search is run: libraries
like dateparser read "We", "may" and "36 years later" as dates.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from retrieval.timeline.calendar import MONTH_ABBR, period_end
from retrieval.timeline.grammar import Context, Period, candidates

logger = logging.getLogger(__name__)

__all__ = ["TemporalMention", "find_mentions", "mentions_by_paragraph", "mentions_by_sentence"]

_DECADE_YEARS = 10


@dataclass(frozen=True, slots=True)
class TemporalMention:
    """One temporal expression of a sentence, resolved to the calendar period it names."""

    start: int  # span in the sentence text passed in
    end: int
    text: str  # sentence_text[start:end]
    date: dt.date  # first day of the period (week: its Monday; month: day 1; year or decade: Jan 1)
    granularity: Literal["year", "month", "week", "day"]
    qualifier: Literal["early", "mid", "late"] | None
    planned: bool  # future/scheduled relative to the document date
    decade: bool = False  # "the early 2000s": granularity "year", ``date`` its first year, ten years long
    future: bool = False  # the clause is a plan or forecast, whatever the document date

    def label(self) -> str:
        """How people write it: "20 Dec 1989", "Oct 2025", "early Sep 2025", "2020", "week of 22 Dec 2025"."""
        day = self.date
        if self.granularity == "day":
            text = f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"
        elif self.granularity == "week":
            text = f"week of {day.day} {MONTH_ABBR[day.month - 1]} {day.year}"
        elif self.granularity == "month":
            text = f"{MONTH_ABBR[day.month - 1]} {day.year}"
        else:
            text = f"{day.year}s" if self.decade else str(day.year)
        return f"{self.qualifier} {text}" if self.qualifier else text

    def key(self) -> str:
        """The period's key, "YYYY" | "YYYY-MM" | "YYYY-MM-DD" per granularity, to group and filter by date.

        A week's key is its Monday's day; a decade's, its first year.
        """
        if self.granularity == "year":
            return f"{self.date.year:04d}"
        if self.granularity == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    @property
    def last_day(self) -> dt.date:
        """The last day of the period, so a timeline can tell overlapping periods apart."""
        return period_end(self.date, self.granularity, _DECADE_YEARS if self.decade else 1)


# --- tense --------------------------------------------------------------------------------------------

# Quotes, dashes, brackets and semicolons separate clauses whose tenses differ:
# “The oil companies are going to go in,” Trump said during a Saturday press conference.
_CLAUSE_BREAK = re.compile(r"[“”\"«»;:()\[\]—–]")
_FUTURE_CUE = re.compile(
    r"(?i)\bwill\b|\bshall\b|\bwon['’]t\b|\w['’]ll\b"
    r"|\b(?:is|are|am|['’]s|['’]re|['’]m)\s+(?:not\s+)?going\s+to\b"
    r"|(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)\b(?:planned|scheduled|slated)\s+(?:for|on|to|in)\b"
    r"|(?<!\bhad\s)\b(?:is|are|be|been)\s+(?:\w+ly\s+)?(?:planned|scheduled|slated|set|due|expected|poised)\b"
    # British "is to visit"; "one thing is to talk" is not a plan, so only verbs of scheduled events
    r"|\b(?:is|are)\s+to\s+(?:be|visit|meet|hold|host|attend|travel|sign|open|begin|start|resume|face|vote|speak)\b"
    r"|\b(?:expects?|plans?|intends?|aims?|vows?|pledges?|promises?|hopes?)\s+to\b"
    r"|\b(?:upcoming|forthcoming)\b"
)
# A reporting verb right before the expression fixes it in the past even when the clause
# goes on about the future: "the minister said on Monday that the bridge will open in March".
_PAST_REPORT = re.compile(
    r"(?i)\b(?:said|told|reported|announced|confirmed|wrote|stated|added|declared|tweeted|posted"
    r"|noted|revealed|disclosed|claimed|warned)\b(?:\W+\w+){0,3}\W*$"
)


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of ``sentence`` between clause breaks that holds ``start:end``."""
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    left = max((b + 1 for b in breaks if b < start), default=0)
    right = min((b for b in breaks if b >= end), default=len(sentence))
    return left, right


def _is_future(sentence: str, start: int, end: int) -> bool:
    """Whether the clause around ``start:end`` is a plan or forecast; news defaults to the past."""
    left, right = _clause(sentence, start, end)
    if _PAST_REPORT.search(sentence[left:start]):
        return False
    return bool(_FUTURE_CUE.search(sentence[left:right]))


def _is_planned(period: Period, anchor: dt.date, future: bool) -> bool:
    """After the document date, or a plan for a period still under way on it ("will vote in 2026")."""
    last = period_end(period.date, period.granularity, _DECADE_YEARS if period.decade else 1)
    return period.date > anchor or ((future or period.forward) and last >= anchor)


# --- API ----------------------------------------------------------------------------------------------


def _find(sentence: str, anchor: dt.date, previous: Period | None) -> list[tuple[TemporalMention, Period]]:
    found: list[tuple[TemporalMention, Period]] = []
    for start, end, rule, match in candidates(sentence):
        future = _is_future(sentence, start, end)
        same_sentence = found[-1][1] if found else None
        context = Context(sentence, anchor, future, same_sentence, same_sentence or previous)
        period = rule.read(match, context)
        if period is None:
            continue
        if period.anaphoric and any(p.date == period.date and p.granularity == period.granularity for _, p in found):
            continue  # "on January 3, 1990, the same day": nothing new
        mention = TemporalMention(
            start=start,
            end=end,
            text=sentence[start:end],
            date=period.date,
            granularity=period.granularity,
            qualifier=period.qualifier,
            planned=_is_planned(period, anchor, future),
            decade=period.decade,
            future=future or period.forward,
        )
        logger.debug("%s %r -> %s", rule.name, mention.text, mention.key())
        found.append((mention, period))
    return found


def find_mentions(sentence: str, anchor: dt.date) -> list[TemporalMention]:
    """All temporal expressions in one sentence, normalised against the document date ``anchor``."""
    return [mention for mention, _ in _find(sentence, anchor, None)]


def _paragraph(
    sentences: Sequence[str], anchor: dt.date, previous: Period | None
) -> tuple[list[list[TemporalMention]], Period | None]:
    result: list[list[TemporalMention]] = []
    last: Period | None = None
    for sentence in sentences:
        found = _find(sentence, anchor, last or previous)
        if found:
            last = found[-1][1]
        result.append([mention for mention, _ in found])
    return result, last


def mentions_by_sentence(paragraph_sentences: Sequence[str], anchor: dt.date) -> list[list[TemporalMention]]:
    """The temporal mentions of each sentence of one paragraph, threaded so "the next day" has a day to follow.

    "The next day", "the same day" and "that night" resolve against the previous dated sentence (its last
    mention; only a day can have a next day).
    """
    return _paragraph(paragraph_sentences, anchor, None)[0]


def mentions_by_paragraph(paragraphs: Sequence[Sequence[str]], anchor: dt.date) -> list[list[list[TemporalMention]]]:
    """As ``mentions_by_sentence`` for each paragraph, with the thread carried across paragraphs as a story goes on.

    A paragraph whose "the next day" has no date before it in the paragraph counts from the last date of the
    paragraph right before it ("… the invasion of Venezuela would take place 36 years later." / "… Trump
    announced the next day …"). A paragraph without dates breaks the thread; a year (a heading's) has no
    next day.
    """
    result: list[list[list[TemporalMention]]] = []
    carried: Period | None = None
    for paragraph in paragraphs:
        found, carried = _paragraph(paragraph, anchor, carried)
        result.append(found)
    return result
