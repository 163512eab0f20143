"""Conflicting figures: two dated quotes that count the same thing differently.

News on a developing story revises its numbers (a death toll of "roughly 106", later "at least 115").
When the quotes chosen for an answer come from documents of different dates and give different
figures for the same kind of thing, the answer shows both with their dates instead of picking one.

"The same kind of thing" is decided generally, by the figure's unit noun in its clause (see
``_kind``): "at least 115 people" killed and a death toll of "roughly 106" both count casualties;
"killed two alleged narco-terrorists" counts alleged narco-terrorists, not deaths in general, and is
not set against a death toll; "35 known strikes" counts strikes. The two quotes must also share a
query word beyond the figures' own vocabulary, so that "80 killed in the invasion" and "115 killed
in boat strikes" are not set against each other when the question names neither.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations

from retrieval.models import Conflict, Quote
from retrieval.text.analysis import fold_for_tokens, stem, tokenize

_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_FIGURE = re.compile(  # from a word's start: "often" holds no "ten"
    r"\b(?P<qualifier>(?:roughly|about|around|nearly|almost|at least|at most|more than|over|some|up to)\s+)?"
    r"(?P<value>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")\b(?P<ordinal>st|nd|rd|th)?",
    re.IGNORECASE,
)
_CASUALTY_WORDS = frozenset(
    stem(w) for w in "death dead die kill killing toll casualty fatality victim wounded injured".split()
)
_PEOPLE_WORDS = frozenset(stem(w) for w in "people person persons civilians individuals victims".split())
_UNIT_FILLER = frozenset(stem(w) for w in "known total more additional reported confirmed estimated".split())
_CLAUSE_MARKS = ".;:!?"
_WINDOW = 4  # words on each side of a figure that decide what it counts


def _figures(quote: Quote, query: set[str]) -> list[tuple[str, int, str]]:
    """(figure as written, value, kind) for each cardinal number in a quote that is not a year."""
    text = quote.text
    found = []
    for match in _FIGURE.finditer(text):
        raw = match.group("value").lower()
        if match.group("ordinal"):
            continue  # "the 30th strike" ranks, it does not count
        value = _NUMBER_WORDS.get(raw) or int(raw.replace(",", ""))
        if 1800 <= value <= 2100 and raw.isdigit() and len(raw) == 4:
            continue  # a year
        kind = _kind(text, match.start(), match.end(), query)
        if kind:
            found.append((match.group().strip(), value, kind))
    return found


def _kind(text: str, start: int, end: int, query: set[str]) -> str | None:
    """What a figure counts: its unit noun, read in its own clause.

    The unit is the first word after the figure (skipping "known", "total", …). People-words
    ("people", "civilians", …), a casualty word, or no unit at all make it a count of casualties
    when a casualty word stands in the clause around it ("death toll to roughly 106", "killing at
    least 115 people"); any other unit counts a thing, compared only when the question names it within
    the figure's next three words ("35 known U.S. unilateral strikes" for a question on strikes;
    "two alleged narco-terrorists", "two weeks" are not compared with a death toll).
    """
    clause_start = max(text.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
    clause_end = min((i for i in (text.find(mark, end) for mark in _CLAUSE_MARKS) if i >= 0), default=len(text))
    before = [t.term for t in tokenize(fold_for_tokens(text[clause_start:start]))][-_WINDOW:]
    after = [t.term for t in tokenize(fold_for_tokens(text[end:clause_end]))][:_WINDOW]
    units = [term for term in after if term not in _UNIT_FILLER]
    unit = units[0] if units else None
    casualty_context = bool(_CASUALTY_WORDS & set(before) or _CASUALTY_WORDS & set(after[:3]))
    if unit is None or unit in _PEOPLE_WORDS or unit in _CASUALTY_WORDS:
        return "casualties" if casualty_context else None
    return next((term for term in units[:3] if term in query), None)


def find_conflicts(quotes: Sequence[Quote], query: Sequence[str]) -> tuple[Conflict, ...]:
    """Pairs of quotes from different dates that give different figures of one kind."""
    if len({q.date for q in quotes}) < 2:
        return ()  # one date: nothing was revised
    topic = set(query) - _CASUALTY_WORDS - _UNIT_FILLER - _PEOPLE_WORDS
    figures = [_figures(q, set(query)) for q in quotes]
    if sum(bool(found) for found in figures) < 2:
        return ()  # nothing to set against anything: skip analysing the quotes
    terms = [{t.term for t in tokenize(fold_for_tokens(q.text))} for q in quotes]
    conflicts: list[Conflict] = []
    seen: set[str] = set()
    for i, j in combinations(range(len(quotes)), 2):
        a, b = quotes[i], quotes[j]
        if a.date == b.date or not (topic & terms[i] & terms[j]):
            continue
        for written_a, value_a, kind_a in figures[i]:
            for written_b, value_b, kind_b in figures[j]:
                if kind_a != kind_b or value_a == value_b or kind_a in seen:
                    continue
                seen.add(kind_a)
                older, newer = sorted(
                    [(written_a, a.date, i), (written_b, b.date, j)], key=lambda f: (f[1] is None, f[1])
                )
                conflicts.append(Conflict(subject=_subject(kind_a), figures=(older, newer)))
    return tuple(conflicts)


def _subject(kind: str) -> str:
    return "deaths" if kind == "casualties" else kind
