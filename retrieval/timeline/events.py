"""The corpus's dated events in order, each one a verbatim sentence with its sources, for ``/timeline``.

An event is a sentence holding a temporal expression, dated by that expression (``retrieval.timeline.mentions``)
against its document's date. Events are extracted once per corpus object and then filtered per query by
topic and period. The same happening told by several documents is shown once with every source.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any, Literal

from retrieval.corpus.links import quote_url
from retrieval.corpus.loader import Corpus
from retrieval.engine import Engine
from retrieval.models import Document, Sentence
from retrieval.text.analysis import terms
from retrieval.timeline.calendar import add_months
from retrieval.timeline.mentions import TemporalMention, mentions_by_sentence

logger = logging.getLogger(__name__)

__all__ = ["Source", "Timeline", "TimelineEvent", "all_events", "build_timeline", "parse_bound"]

# Two sentences of different documents with the same date tell the same event when this share of the
# shorter one's content terms is also in the other, and they share at least MERGE_MIN_SHARED terms.
MERGE_CONTAINMENT = 0.6
MERGE_MIN_SHARED = 3
# A passage is on topic when its BM25 score for the topic is at least this share of the best passage's.
TOPIC_SCORE_SHARE = 0.5
# Undated documents keep only expressions that read the same whatever the document date: the
# mentions found against both of these far-apart anchors.
_PROBE_ANCHORS = (dt.date(1200, 6, 15), dt.date(2800, 6, 15))
_CACHE_SIZE = 2  # the serving corpus and the one a reload is replacing
_BOUND = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


@dataclass(frozen=True, slots=True)
class Source:
    """One document's telling of an event: the sentence and where to read it."""

    doc_id: str
    title: str
    url: str
    line_start: int
    line_end: int
    text: str = field(repr=False)  # this document's sentence (the event shows the first source's)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "url": self.url,
            "line_start": self.line_start,
            "line_end": self.line_end,
        }


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated sentence. ``date`` is the period's first day (a week's Monday, a decade's first year)."""

    date: dt.date
    last_day: dt.date
    granularity: Literal["year", "month", "week", "day"]
    qualifier: Literal["early", "mid", "late"] | None
    planned: bool
    decade: bool
    key: str  # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    label: str  # "Oct 2025", "early Sep 2025", "20 Dec 1989"
    text: str
    sources: tuple[Source, ...]
    order: tuple[int, int, int] = field(repr=False)  # (document, sentence, mention) of the first telling
    passages: frozenset[int] = field(default=frozenset(), repr=False)  # index passages of every telling
    content: frozenset[str] = field(default=frozenset(), repr=False)  # the first telling's terms, date left out
    words: frozenset[str] = field(default=frozenset(), repr=False)  # every telling's terms, for topic matching

    def to_dict(self) -> dict[str, Any]:
        """The CLI/JSON contract: exactly these keys."""
        return {
            "date": self.key,
            "granularity": self.granularity,
            "qualifier": self.qualifier,
            "planned": self.planned,
            "text": self.text,
            "sources": [source.to_dict() for source in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    """The events a query selected, in date order, and how many the corpus holds in all."""

    events: tuple[TimelineEvent, ...]
    total: int
    corpus_version: str
    topic: str | None = None
    since: str | None = None
    until: str | None = None

    def to_list(self) -> list[dict[str, Any]]:
        return [event.to_dict() for event in self.events]


# --- extraction -----------------------------------------------------------------------------------


def _mentions(texts: Sequence[str], document: Document) -> list[list[TemporalMention]]:
    """Mentions per sentence of one paragraph.

    A document without a date cannot place "on Monday" or "last week", so only expressions that resolve
    identically against two anchors eight centuries apart are kept, and none is called planned: without
    a date there is no "after the document" to plan for.
    """
    if document.date is not None:
        return mentions_by_sentence(texts, document.date)
    early, late = (mentions_by_sentence(texts, anchor) for anchor in _PROBE_ANCHORS)
    kept: list[list[TemporalMention]] = []
    for first, second in zip(early, late, strict=True):
        stable = {(m.start, m.end, m.date, m.granularity, m.qualifier, m.decade) for m in second}
        kept.append(
            [
                replace(m, planned=False)
                for m in first
                if (m.start, m.end, m.date, m.granularity, m.qualifier, m.decade) in stable
            ]
        )
    return kept


def _content_terms(sentence: str, mentions: Iterable[TemporalMention]) -> frozenset[str]:
    """The sentence's analysed terms with its date expressions blanked out, so shared dates don't count."""
    chars = list(sentence)
    for mention in mentions:
        chars[mention.start : mention.end] = " " * (mention.end - mention.start)
    return frozenset(terms("".join(chars)))


def _same_telling(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= MERGE_MIN_SHARED and shared >= MERGE_CONTAINMENT * min(len(a), len(b))


def _passage_of(corpus: Corpus) -> dict[tuple[str, int], int]:
    """(doc_id, sentence index) -> index of the passage holding that sentence."""
    return {
        (passage.doc_id, number): passage.index
        for passage in corpus.passages
        for number in range(passage.first_sentence, passage.last_sentence + 1)
    }


def _source(corpus: Corpus, document: Document, sentence: Sentence, base_url: str | None) -> Source:
    url = quote_url(
        document,
        sentence.text,
        sentence.line_start,
        sentence.line_end,
        base_url=base_url,
        corpus_label=corpus.label,
    )
    return Source(document.doc_id, document.title, url, sentence.line_start, sentence.line_end, sentence.text)


def _tellings(corpus: Corpus, base_url: str | None) -> list[TimelineEvent]:
    """One event per (date, sentence) of every document, before merging, in document order."""
    passage_of = _passage_of(corpus)
    found: list[TimelineEvent] = []
    for doc_number, document in enumerate(corpus.documents):
        sentences = corpus.sentences_of(document.doc_id)
        for _, grouped in groupby(sentences, key=lambda s: s.paragraph):
            paragraph = list(grouped)
            for sentence, mentions in zip(paragraph, _mentions([s.text for s in paragraph], document), strict=True):
                seen: set[tuple[str, str, bool]] = set()
                content = _content_terms(sentence.text, mentions)
                words = frozenset(terms(sentence.text))
                for number, mention in enumerate(mentions):
                    signature = (mention.key(), mention.granularity, mention.decade)
                    if signature in seen:
                        continue
                    seen.add(signature)
                    found.append(
                        TimelineEvent(
                            date=mention.date,
                            last_day=mention.last_day,
                            granularity=mention.granularity,
                            qualifier=mention.qualifier,
                            planned=mention.planned,
                            decade=mention.decade,
                            key=mention.key(),
                            label=mention.label(),
                            text=sentence.text,
                            sources=(_source(corpus, document, sentence, base_url),),
                            order=(doc_number, sentence.index, number),
                            passages=frozenset({passage_of[(document.doc_id, sentence.index)]}),
                            content=content,
                            words=words,
                        )
                    )
    return found


def _merge(tellings: Iterable[TimelineEvent]) -> list[TimelineEvent]:
    """Fold a later document's telling into an earlier event of the same period when they say the same."""
    merged: list[TimelineEvent] = []
    by_period: dict[tuple[str, str, bool], list[int]] = {}
    for telling in tellings:
        period = (telling.key, telling.granularity, telling.decade)
        slots = by_period.setdefault(period, [])
        doc_id = telling.sources[0].doc_id
        target = next(
            (
                slot
                for slot in slots
                if all(s.doc_id != doc_id for s in merged[slot].sources)
                and _same_telling(merged[slot].content, telling.content)
            ),
            None,
        )
        if target is None:
            slots.append(len(merged))
            merged.append(telling)
        else:
            event = merged[target]
            merged[target] = replace(
                event,
                sources=event.sources + telling.sources,
                passages=event.passages | telling.passages,
                words=event.words | telling.words,
            )
    return merged


_cache: OrderedDict[tuple[int, str | None], tuple[Corpus, tuple[TimelineEvent, ...]]] = OrderedDict()
_cache_lock = threading.Lock()


def all_events(corpus: Corpus, base_url: str | None = None) -> tuple[TimelineEvent, ...]:
    """Every event of the corpus in date order (ties in document order), computed once per corpus object.

    Corpora are immutable, so the cache holds the last few by identity (keeping them alive so an id is
    never reused while cached); a reload builds a new corpus and so a new entry.
    """
    key = (id(corpus), base_url)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is corpus:
            _cache.move_to_end(key)
            return hit[1]
    events = tuple(sorted(_merge(_tellings(corpus, base_url)), key=lambda e: (e.date, e.order)))
    logger.info("timeline of corpus %s: %d events", corpus.version, len(events))
    with _cache_lock:
        _cache[key] = (corpus, events)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return events


# --- queries --------------------------------------------------------------------------------------


def parse_bound(text: str) -> tuple[dt.date, dt.date]:
    """ "YYYY", "YYYY-MM" or "YYYY-MM-DD" as the first and last day of the period it names."""
    match = _BOUND.match(text.strip())
    if not match:
        raise ValueError(f"invalid date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day:
            first = dt.date(int(year), int(month), int(day))
            return first, first
        if month:
            first = dt.date(int(year), int(month), 1)
            return first, add_months(first, 1) - dt.timedelta(days=1)
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    except ValueError as error:
        raise ValueError(f"invalid date {text!r}: {error}") from None


def _on_topic(events: Sequence[TimelineEvent], topic: str, engine: Engine | None) -> list[TimelineEvent]:
    """Events on ``topic``; a topic with no searchable word (empty, stopwords) keeps everything.

    An event is on topic when its sentence holds every topic term, or (given an engine) when one of its
    passages scores at least ``TOPIC_SCORE_SHARE`` of the best passage's BM25 score for the topic.
    """
    query = list(dict.fromkeys(terms(topic, query=True)))
    if not query:
        return list(events)
    strong: set[int] = set()
    if engine is not None:
        ranked = engine.index.top(query, len(engine.corpus.passages))
        best = ranked[0][1] if ranked else 0.0
        strong = {number for number, score in ranked if score >= TOPIC_SCORE_SHARE * best}
    wanted = set(query)
    return [event for event in events if event.passages & strong or wanted <= event.words]


def build_timeline(
    source: Engine | Corpus,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    base_url: str | None = None,
) -> Timeline:
    """The events of a corpus on ``topic`` whose period overlaps [since, until] (both inclusive).

    Given an engine, links use its ``base_url`` and the topic also matches through its BM25 index; given a
    bare corpus, the topic matches sentence words only. Raises ValueError on a malformed bound.
    """
    engine = source if isinstance(source, Engine) else None
    corpus = source.corpus if isinstance(source, Engine) else source
    low = parse_bound(since)[0] if since else dt.date.min
    high = parse_bound(until)[1] if until else dt.date.max
    if low > high:
        raise ValueError(f"--since {since} is after --until {until}")
    every = all_events(corpus, engine.composer.base_url if engine is not None else base_url)
    selected = [event for event in every if event.date <= high and event.last_day >= low]
    if topic and topic.strip():
        selected = _on_topic(selected, topic, engine)
    return Timeline(tuple(selected), len(every), corpus.version, topic or None, since, until)
