"""Scoring a timeline against a hand-made gold timeline: precision and recall of dated sentences.

The unit is one document's telling of one event: (doc_id, date key, granularity, sentence). A merged
event counts once per source, so merging across documents neither hides nor invents a telling.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.timeline.events import TimelineEvent

logger = logging.getLogger(__name__)

__all__ = ["GoldEntry", "TimelineScore", "read_gold", "score_timeline"]

_REQUIRED = ("doc_id", "date", "granularity", "sentence_contains")


@dataclass(frozen=True, slots=True)
class GoldEntry:
    """One expected telling: the document, the period, and a piece of the sentence that dates it."""

    doc_id: str
    date: str
    granularity: str
    sentence_contains: str

    def __str__(self) -> str:
        return f"{self.doc_id} {self.date} ({self.granularity}): {self.sentence_contains!r}"


@dataclass(frozen=True, slots=True)
class Telling:
    """One source of a predicted event."""

    doc_id: str
    date: str
    granularity: str
    text: str
    line_start: int

    def matches(self, gold: GoldEntry) -> bool:
        return (
            self.doc_id == gold.doc_id
            and self.date == gold.date
            and self.granularity == gold.granularity
            and gold.sentence_contains in self.text
        )

    def __str__(self) -> str:
        return f"{self.doc_id}:L{self.line_start} {self.date} ({self.granularity}): {self.text[:80]!r}"


@dataclass(frozen=True, slots=True)
class TimelineScore:
    """What a gold file says of a timeline; only documents the gold covers are scored."""

    predicted: int
    correct: int  # predicted tellings some gold entry matches
    gold: int
    found: int  # gold entries some predicted telling matches
    misses: tuple[GoldEntry, ...]
    extras: tuple[Telling, ...]

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "predicted": self.predicted,
            "correct": self.correct,
            "gold": self.gold,
            "found": self.found,
            "misses": [str(miss) for miss in self.misses],
            "extras": [str(extra) for extra in self.extras],
        }


def read_gold(path: Path) -> list[GoldEntry]:
    """A JSON list of ``{"doc_id", "date", "granularity", "sentence_contains", ...}``; other keys are notes."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of gold events")
    entries = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, Mapping) or any(not isinstance(item.get(key), str) for key in _REQUIRED):
            raise ValueError(f"{path}: entry {number} needs string fields {', '.join(_REQUIRED)}")
        entries.append(GoldEntry(*(item[key] for key in _REQUIRED)))
    return entries


def score_timeline(events: Sequence[TimelineEvent], gold: Sequence[GoldEntry]) -> TimelineScore:
    """Precision and recall of the events' tellings in the documents ``gold`` covers."""
    covered = {entry.doc_id for entry in gold}
    tellings = [
        Telling(source.doc_id, event.key, event.granularity, source.text, source.line_start)
        for event in events
        for source in event.sources
        if source.doc_id in covered
    ]
    extras = tuple(t for t in tellings if not any(t.matches(entry) for entry in gold))
    misses = tuple(entry for entry in gold if not any(t.matches(entry) for t in tellings))
    score = TimelineScore(
        predicted=len(tellings),
        correct=len(tellings) - len(extras),
        gold=len(gold),
        found=len(gold) - len(misses),
        misses=misses,
        extras=extras,
    )
    logger.info("timeline gold: precision %.3f recall %.3f", score.precision, score.recall)
    return score
