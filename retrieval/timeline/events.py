"""The corpus's events in date order, for ``/timeline``: one entry per happening, quoted verbatim and cited.

Every dated sentence of the corpus is a telling (``retrieval.timeline.tellings``); tellings of the same
happening merge into one event at the finest date known (``retrieval.timeline.merging``), which quotes its
clearest sentence and cites the others ("also in"). Events are computed once per corpus object and then
filtered per query by topic and period.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from retrieval.corpus.loader import Corpus
from retrieval.engine import Engine
from retrieval.text.analysis import terms
from retrieval.timeline.calendar import add_months
from retrieval.timeline.merging import TermWeights, merge_tellings
from retrieval.timeline.tellings import Source, Telling, extract_tellings

logger = logging.getLogger(__name__)

__all__ = ["Source", "Timeline", "TimelineEvent", "all_events", "build_timeline", "parse_bound"]


# A passage is on topic when its BM25 score for the topic is at least this share of the best passage's.
TOPIC_SCORE_SHARE = 0.5
_CACHE_SIZE = 2  # the serving corpus and the one a reload is replacing
_BOUND = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One happening: its date, its clearest sentence, and every place that tells it (``sources[0]`` quoted).

    ``date`` is the period's first day (a week's Monday, a decade's first year).
    """

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
    order: tuple[int, int, int] = field(repr=False)  # (document, sentence, mention) of the quoted telling
    passages: frozenset[int] = field(default=frozenset(), repr=False)  # index passages of every telling
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
        """The events as JSON-ready dicts, for `corpusbot timeline --json`."""
        return [event.to_dict() for event in self.events]


# --- events -------------------------------------------------------------------------------------


def _clearest(group: Sequence[Telling], key_terms: frozenset[str]) -> Telling:
    """The telling an event quotes: the one that dates it most precisely and says most plainly what happened.

    Preferred in order: the finest date, then a sentence that opens with it ("On December 20, 1989, …"),
    then the one holding most of the event's shared terms, then the first written.
    """
    finest = min(t.rank for t in group)
    return min(
        (t for t in group if t.rank == finest),
        key=lambda t: (not t.opens, -len(t.content & key_terms), t.order),
    )


def _event(group: Sequence[Telling]) -> TimelineEvent:
    """The entry for one group of tellings: dated and quoted by its clearest, citing every other place."""
    counts = Counter(term for telling in group for term in telling.content)
    shared = frozenset(term for term, n in counts.items() if n >= 2)
    head = _clearest(group, shared)
    others = sorted((t for t in group if t is not head), key=lambda t: t.order)
    sources = tuple(dict.fromkeys([head.source, *(t.source for t in others)]))
    return TimelineEvent(
        date=head.date,
        last_day=head.last_day,
        granularity=head.granularity,
        qualifier=head.qualifier,
        planned=head.planned,
        decade=head.decade,
        key=head.key,
        label=head.label,
        text=head.source.text,
        sources=sources,
        order=head.order,
        passages=frozenset(t.passage for t in group),
        words=frozenset().union(*(t.words for t in group)),
    )


def _weights(corpus: Corpus) -> TermWeights:
    """How rare each term is among all the corpus's sentences, dated or not."""
    return TermWeights.of(terms(sentence.text) for sentence in corpus.sentences)


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
    weights = _weights(corpus)
    groups = merge_tellings(extract_tellings(corpus, base_url), weights)
    events = tuple(sorted((_event(group) for group in groups), key=lambda e: (e.date, e.order)))
    logger.info("timeline of corpus %s: %d events", corpus.version, len(events))
    with _cache_lock:
        _cache[key] = (corpus, events)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return events


# --- queries --------------------------------------------------------------------------------------


def parse_bound(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the period "YYYY", "YYYY-MM" or "YYYY-MM-DD" names, to filter by period."""
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
