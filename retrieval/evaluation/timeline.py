"""Scoring a timeline against a hand-made gold timeline: its mentions, its events, and how split they are.

The gold lists each event once, dated at its finest, with every sentence that mentions it. Three views:

- **mentions** (precision / recall): one document's sentence shown under one date. A predicted entry counts
  once per source, so merging neither hides nor invents a mention; a mention filed under the wrong event's
  date is both a miss and an extra.
- **events** (event recall): a gold event is found when one entry has its date and at least one of its mentions.
- **entries per event**: entries (of the documents the gold covers) per gold event: 1.0 when every event is
  one entry; ``split`` counts, per gold event, the entries its mentions are spread over (under its date
  or a coarser or finer one).

A gold file in the older flat form (one ``{"doc_id", "date", "granularity", "sentence_contains"}`` per mention)
is read as one event per mention.
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

__all__ = ["GoldEntry", "GoldEvent", "TimelineScore", "read_gold", "score_timeline"]

_EVENT_KEYS = ("date", "granularity")
_MENTION_KEYS = ("doc_id", "sentence_contains")


@dataclass(frozen=True, slots=True)
class GoldEntry:
    """One expected mention: the document, the event's date, and a piece of the sentence that mentions it."""

    doc_id: str
    date: str
    granularity: str
    sentence_contains: str

    def __str__(self) -> str:
        return f"{self.doc_id} {self.date} ({self.granularity}): {self.sentence_contains!r}"


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One happening, dated at its finest, with every mention of it."""

    name: str
    date: str
    granularity: str
    mentions: tuple[GoldEntry, ...]

    def __str__(self) -> str:
        return f"{self.date} ({self.granularity}) {self.name or self.mentions[0].sentence_contains!r}"


@dataclass(frozen=True, slots=True)
class Telling:
    """One source of a predicted entry, with the entry it belongs to."""

    entry: int
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

    predicted: int  # predicted mentions (sources of entries)
    correct: int
    gold: int  # gold mentions
    found: int
    events: int  # gold events
    events_found: int
    entries: int  # predicted entries with a source in a covered document
    split: float  # mean number of entries a gold event's mentions are spread over (found events)
    misses: tuple[GoldEntry, ...]
    extras: tuple[Telling, ...]
    events_missed: tuple[GoldEvent, ...]

    @property
    def precision(self) -> float:
        """Share of the predicted mentions the gold holds; 1.0 when nothing is predicted (nothing is wrong)."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of the gold mentions shown under their date; 1.0 when the gold lists none."""
        return self.found / self.gold if self.gold else 1.0

    @property
    def event_recall(self) -> float:
        """Share of the gold events found: an event can be found even when some of its mentions are missed."""
        return self.events_found / self.events if self.events else 1.0

    @property
    def entries_per_event(self) -> float:
        """Entries per gold event, 1.0 when every event is one entry: above it, merging left events split."""
        return self.entries / self.events if self.events else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Every figure and the misses and extras, JSON-ready, for `corpusbot timeline-eval --json`."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "event_recall": round(self.event_recall, 4),
            "entries_per_event": round(self.entries_per_event, 4),
            "split": round(self.split, 4),
            "predicted": self.predicted,
            "correct": self.correct,
            "gold": self.gold,
            "found": self.found,
            "events": self.events,
            "events_found": self.events_found,
            "entries": self.entries,
            "misses": [str(miss) for miss in self.misses],
            "extras": [str(extra) for extra in self.extras],
            "events_missed": [str(event) for event in self.events_missed],
        }


def _strings(item: Mapping[str, Any], keys: Sequence[str]) -> bool:
    return all(isinstance(item.get(key), str) for key in keys)


def read_gold(path: Path) -> list[GoldEvent]:
    """The gold events of a file, checked field by field so a malformed gold fails loudly, naming the entry.

    The file is a JSON list of events ``{"date", "granularity", "mentions": [{"doc_id", "sentence_contains"}],
    ...}``; other keys are notes. Flat mentions ``{"doc_id", "date", "granularity", "sentence_contains"}`` are
    read as one event each.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of gold events")
    events = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, Mapping) or not _strings(item, _EVENT_KEYS):
            raise ValueError(f"{path}: entry {number} needs string fields {', '.join(_EVENT_KEYS)}")
        date, granularity = item["date"], item["granularity"]
        mentions = item.get("mentions", [item])
        if not isinstance(mentions, list) or not mentions:
            raise ValueError(f"{path}: entry {number} needs a non-empty list of mentions")
        if any(not isinstance(m, Mapping) or not _strings(m, _MENTION_KEYS) for m in mentions):
            raise ValueError(f"{path}: entry {number}: each mention needs string fields {', '.join(_MENTION_KEYS)}")
        entries = tuple(GoldEntry(m["doc_id"], date, granularity, m["sentence_contains"]) for m in mentions)
        events.append(GoldEvent(str(item.get("event") or ""), date, granularity, entries))
    return events


def score_timeline(events: Sequence[TimelineEvent], gold: Sequence[GoldEvent]) -> TimelineScore:
    """Mention precision and recall, event recall and entries per event in the documents ``gold`` covers."""
    mentions = [mention for event in gold for mention in event.mentions]
    covered = {mention.doc_id for mention in mentions}
    tellings = [
        Telling(number, source.doc_id, event.key, event.granularity, source.text, source.line_start)
        for number, event in enumerate(events)
        for source in event.sources
        if source.doc_id in covered
    ]
    extras = tuple(t for t in tellings if not any(t.matches(m) for m in mentions))
    misses = tuple(m for m in mentions if not any(t.matches(m) for t in tellings))
    missed_events: list[GoldEvent] = []
    spreads: list[int] = []
    for event in gold:
        holding = {t.entry for t in tellings for m in event.mentions if t.matches(m)}
        if not holding:
            missed_events.append(event)
            continue
        # entries holding one of its sentences under a date inside or around its own ("1989" for 20 Dec 1989)
        spreads.append(len({t.entry for t in tellings for m in event.mentions if _same_sentence(t, m)}))
    score = TimelineScore(
        predicted=len(tellings),
        correct=len(tellings) - len(extras),
        gold=len(mentions),
        found=len(mentions) - len(misses),
        events=len(gold),
        events_found=len(gold) - len(missed_events),
        entries=len({t.entry for t in tellings}),
        split=sum(spreads) / len(spreads) if spreads else 0.0,
        misses=misses,
        extras=extras,
        events_missed=tuple(missed_events),
    )
    logger.info(
        "timeline gold: precision %.3f recall %.3f events %d/%d, %.2f entries per event",
        score.precision,
        score.recall,
        score.events_found,
        score.events,
        score.entries_per_event,
    )
    return score


def _same_sentence(telling: Telling, mention: GoldEntry) -> bool:
    nested = mention.date.startswith(telling.date) or telling.date.startswith(mention.date)
    return nested and telling.doc_id == mention.doc_id and mention.sentence_contains in telling.text
