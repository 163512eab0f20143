"""Tellings into events: the same happening, told in several sentences or documents, becomes one entry.

Two tellings of the same period are one event when they share enough of their key terms; a coarser
telling ("the 1989 invasion") joins an event dated more precisely inside its period ("On December 20,
1989, … the U.S. invasion of Panama") when it shares that event's key terms. Key terms are weighted by
how rare they are among the corpus's sentences, so "U.S." in every sentence counts little and "Panama"
or "invasion" much. Each event then keeps its finest date.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from retrieval.timeline.tellings import Telling

logger = logging.getLogger(__name__)

__all__ = ["MIN_SHARED", "REFER_SHARE", "SAME_SHARE", "TermWeights", "merge_tellings"]

# Same period: this share of the lighter telling's term weight must be shared, in at least MIN_SHARED terms.
# Two tellings of one day are likelier to be one happening than two of one year, so a day asks for less.
SAME_SHARE = {"day": 0.15, "week": 0.15, "month": 0.3, "year": 0.3}
# A coarser telling joins a finer event when it holds this share of the weight of the event's key terms.
REFER_SHARE = 0.4
MIN_SHARED = 2


@dataclass(frozen=True, slots=True)
class TermWeights:
    """Inverse sentence frequency of terms, and demonyms folded onto their place ("venezuelan" -> "venezuela")."""

    sentences: int
    frequency: Counter[str]

    @classmethod
    def of(cls, sentence_terms: Iterable[Iterable[str]]) -> TermWeights:
        """Counted once per corpus over every sentence's terms (a term counts once per sentence)."""
        frequency: Counter[str] = Counter()
        count = 0
        for found in sentence_terms:
            frequency.update(set(found))
            count += 1
        return cls(count, frequency)

    def fold(self, found: Iterable[str]) -> frozenset[str]:
        """``found`` with demonyms folded onto places the corpus names, so "Venezuelan troops" meets "Venezuela"."""
        return frozenset(t[:-1] if t.endswith("n") and self.frequency.get(t[:-1]) else t for t in found)

    def weight(self, term: str) -> float:
        """How rare ``term`` is among the sentences (smoothed log IDF): rare terms say which happening it is."""
        return math.log((self.sentences + 1) / (self.frequency.get(term, 0) + 0.5))

    def total(self, found: Iterable[str]) -> float:
        """The summed weight of some terms, so overlaps are measured by what the shared terms weigh."""
        return sum(self.weight(t) for t in found)


@dataclass(slots=True)
class _Event:
    tellings: list[Telling]
    terms: list[frozenset[str]] = field(default_factory=list)  # folded content terms per telling
    _key: frozenset[str] | None = None  # key_terms, until the next telling joins

    def add(self, telling: Telling, terms: frozenset[str]) -> None:
        self.tellings.append(telling)
        self.terms.append(terms)
        self._key = None

    @property
    def head(self) -> Telling:
        return self.tellings[0]

    def holds(self, telling: Telling) -> bool:
        """Whether the event already has this sentence: one sentence tells an event once."""
        return any(t.order[:2] == telling.order[:2] for t in self.tellings)

    def key_terms(self) -> frozenset[str]:
        """Terms at least two tellings share, or the one telling's terms."""
        if self._key is None:
            counts = Counter(t for found in self.terms for t in found)
            shared = frozenset(t for t, n in counts.items() if n >= 2)
            self._key = shared if len(self.terms) > 1 and shared else frozenset(counts)
        return self._key


def _same(weights: TermWeights, a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the lighter side's weight that both hold; 0 below MIN_SHARED common terms."""
    shared = a & b
    if len(shared) < MIN_SHARED:
        return 0.0
    lighter = min(weights.total(a), weights.total(b))
    return weights.total(shared) / lighter if lighter else 0.0


def _refers(weights: TermWeights, terms: frozenset[str], event: _Event) -> float:
    """Share of the event's key-term weight that a coarser telling holds; 0 below MIN_SHARED common terms."""
    key = event.key_terms()
    shared = key & terms
    if len(shared) < MIN_SHARED:
        return 0.0
    total = weights.total(key)
    return weights.total(shared) / total if total else 0.0


def _inside(telling: Telling, event: _Event) -> bool:
    head = event.head
    return head.rank < telling.rank and telling.date <= head.date and head.last_day <= telling.last_day


def _best(scored: Iterable[tuple[float, int]], floor: float) -> int | None:
    best = max(scored, default=(0.0, -1))
    return best[1] if best[0] >= floor else None


def merge_tellings(tellings: Sequence[Telling], weights: TermWeights) -> list[list[Telling]]:
    """Tellings grouped into events, finest dates first; each group's first telling dates it.

    Tellings come finest first, so an event's first telling never changes and events can be looked up by
    its period and its year instead of comparing every pair.
    """
    events: list[_Event] = []
    by_period: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    by_year: dict[int, list[int]] = defaultdict(list)
    for telling in sorted(tellings, key=lambda t: (t.rank, t.order)):
        content = weights.fold(telling.content)
        years = range(telling.date.year, telling.last_day.year + 1) if telling.rank else range(0)
        inside = (
            (i, events[i])
            for year in years
            for i in by_year.get(year, ())
            if _inside(telling, events[i]) and not events[i].holds(telling)
        )
        target = _best(((_refers(weights, content, e), i) for i, e in inside), REFER_SHARE)
        if target is None:
            same = ((i, events[i]) for i in by_period.get(telling.period, ()) if not events[i].holds(telling))
            scored = ((max(_same(weights, content, terms) for terms in e.terms), i) for i, e in same)
            target = _best(scored, SAME_SHARE[telling.granularity])
        if target is None:
            by_period[telling.period].append(len(events))
            by_year[telling.date.year].append(len(events))
            events.append(_Event([telling], [content]))
        else:
            events[target].add(telling, content)
    logger.debug("%d tellings merged into %d events", len(tellings), len(events))
    return [event.tellings for event in events]
