"""Every dated sentence of a corpus, one ``Telling`` per (sentence, date), before tellings are merged into events.

A telling is a sentence and one date it holds, resolved against its document's date, with the terms that
say what happened: the sentence's, its dates left out. Labels (headings, titles of
works), code, metadata and reference lists tell nothing; entries under a changelog release heading are
dated by that heading when they hold no date of their own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any, Literal

from retrieval.corpus.links import quote_url
from retrieval.corpus.loader import Corpus
from retrieval.models import Document, Sentence
from retrieval.text.analysis import terms
from retrieval.timeline.mentions import TemporalMention, find_mentions, mentions_by_paragraph
from retrieval.timeline.structure import Layout, in_title, is_plain_label, read_layout

logger = logging.getLogger(__name__)

__all__ = ["Source", "Telling", "extract_tellings"]

# Undated documents keep only expressions that read the same whatever the document date: the
# mentions found against both of these far-apart anchors.
_PROBE_ANCHORS = (dt.date(1200, 6, 15), dt.date(2800, 6, 15))
_OPENING_CHARS = 12  # a date within this many characters of the sentence start opens it ("On Dec. 29, …")


@dataclass(frozen=True, slots=True)
class Source:
    """One place an event is told: the sentence and where to read it."""

    doc_id: str
    title: str
    url: str
    line_start: int
    line_end: int
    text: str = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Where to read this telling, JSON-ready: an event's ``sources`` in `corpusbot timeline --json`."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "url": self.url,
            "line_start": self.line_start,
            "line_end": self.line_end,
        }


@dataclass(frozen=True, slots=True)
class Telling:
    """One sentence's date: the period, where it is written, and the terms that say what happened then."""

    date: dt.date
    last_day: dt.date
    granularity: Literal["year", "month", "week", "day"]
    qualifier: Literal["early", "mid", "late"] | None
    planned: bool
    decade: bool
    key: str
    label: str
    source: Source
    order: tuple[int, int, int]  # (document, sentence, mention)
    passage: int
    content: frozenset[str]  # the sentence's terms, its dates left out
    words: frozenset[str]  # every term of the sentence, for topic matching
    opens: bool  # the sentence opens with this date: it reports what happened then

    @property
    def period(self) -> tuple[str, str, bool]:
        """The exact period written, the key under which tellings of the same date are merged."""
        return (self.key, self.granularity, self.decade)

    @property
    def rank(self) -> int:
        """How fine the date is: day 0, week 1, month 2, year 3, decade 4."""
        return 4 if self.decade else ("day", "week", "month", "year").index(self.granularity)


def _stable(
    paragraphs: Sequence[Sequence[str]], document: Document, newest: dt.date | None
) -> list[list[list[TemporalMention]]]:
    """Mentions per paragraph and sentence.

    A document without a date cannot place "on Monday" or "last week", so only expressions that resolve
    identically against two anchors eight centuries apart are kept; one of them is planned when its
    clause is a plan, or when it falls after the newest dated document of the corpus.
    """
    if document.date is not None:
        return mentions_by_paragraph(paragraphs, document.date)
    early, late = (mentions_by_paragraph(paragraphs, anchor) for anchor in _PROBE_ANCHORS)
    return [
        [_agreeing(first, second, newest) for first, second in zip(early_paragraph, late_paragraph, strict=True)]
        for early_paragraph, late_paragraph in zip(early, late, strict=True)
    ]


def _agreeing(
    first: Sequence[TemporalMention], second: Sequence[TemporalMention], newest: dt.date | None
) -> list[TemporalMention]:
    """The mentions of an undated document that do not depend on its date: read alike against both probe anchors.

    Each is planned by its tense or by falling after the newest dated document.
    """
    stable = {(m.start, m.end, m.date, m.granularity, m.qualifier, m.decade) for m in second}
    return [
        replace(m, planned=m.future or (newest is not None and m.date > newest))
        for m in first
        if (m.start, m.end, m.date, m.granularity, m.qualifier, m.decade) in stable
    ]


def _blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _passage_of(corpus: Corpus) -> dict[tuple[str, int], int]:
    """(doc_id, sentence index) -> index of the passage holding that sentence."""
    return {
        (passage.doc_id, number): passage.index
        for passage in corpus.passages
        for number in range(passage.first_sentence, passage.last_sentence + 1)
    }


def _source(corpus: Corpus, document: Document, sentence: Sentence, base_url: str | None) -> Source:
    url = quote_url(
        document, sentence.text, sentence.line_start, sentence.line_end, base_url=base_url, corpus_label=corpus.label
    )
    return Source(document.doc_id, document.title, url, sentence.line_start, sentence.line_end, sentence.text)


def _opens(sentence: str, start: int) -> bool:
    """Whether the date comes first: at most two short words before it ("On Dec. 29, …", "In 2020, …")."""
    before = sentence[:start].strip(" \t\"“'‘(")
    return len(before) <= _OPENING_CHARS and len(before.split()) <= 2


def _release_mentions(layout: Layout, document: Document, newest: dt.date | None) -> dict[str, TemporalMention | None]:
    """Per release heading of the document, its finest date, spanning nothing of the entries beneath."""
    dated: dict[str, TemporalMention | None] = {}
    for heading in set(layout.release.values()):
        found = _stable([[heading]], document, newest)[0][0]
        finest = min(found, key=lambda m: ("day", "week", "month", "year").index(m.granularity), default=None)
        dated[heading] = replace(finest, start=0, end=0, text="") if finest else None
    return dated


def _dated_sentences(
    corpus: Corpus, document: Document, newest: dt.date | None
) -> Iterator[tuple[Sentence, list[TemporalMention], list[TemporalMention]]]:
    """The document's prose sentences that date something, each with the dates it tells of and all it holds.

    Yields (sentence, the dates it tells of, every date expression in it): labels, titles of works, code and
    metadata are left out, release headings applied.
    """
    anchor = document.date or _PROBE_ANCHORS[0]
    layout = read_layout(document, lambda text: [(m.start, m.end) for m in find_mentions(text, anchor)])
    releases = _release_mentions(layout, document, newest)
    paragraphs = [list(group) for _, group in groupby(corpus.sentences_of(document.doc_id), key=lambda s: s.paragraph)]
    found = _stable([[s.text for s in paragraph] for paragraph in paragraphs], document, newest)
    for paragraph, paragraph_mentions in zip(paragraphs, found, strict=True):
        for sentence, mentions in zip(paragraph, paragraph_mentions, strict=True):
            if layout.role(sentence.line_start) != "prose" or is_plain_label(sentence, paragraph):
                continue
            kept = [
                m
                for m in mentions
                if layout.role(sentence.line_start + sentence.text.count("\n", 0, m.start)) == "prose"
                and not in_title(sentence.text, m.start, m.end)
            ]
            release = releases.get(layout.release.get(sentence.line_start, ""))
            if not kept and release is not None:
                kept = [release]
            if kept:
                yield sentence, kept, mentions


def _document_tellings(
    corpus: Corpus,
    number: int,
    document: Document,
    passage_of: dict[tuple[str, int], int],
    base_url: str | None,
    newest: dt.date | None,
) -> Iterator[Telling]:
    for sentence, kept, mentions in _dated_sentences(corpus, document, newest):
        content = frozenset(terms(_blanked(sentence.text, [(m.start, m.end) for m in mentions])))
        words = frozenset(terms(sentence.text))
        source = _source(corpus, document, sentence, base_url)
        seen: set[tuple[str, str, bool]] = set()
        for index, mention in enumerate(kept):
            signature = (mention.key(), mention.granularity, mention.decade)
            if signature in seen:
                continue
            seen.add(signature)
            yield Telling(
                date=mention.date,
                last_day=mention.last_day,
                granularity=mention.granularity,
                qualifier=mention.qualifier,
                planned=mention.planned,
                decade=mention.decade,
                key=mention.key(),
                label=mention.label(),
                source=source,
                order=(number, sentence.index, index),
                passage=passage_of[(document.doc_id, sentence.index)],
                content=content,
                words=words,
                opens=bool(mention.text) and _opens(sentence.text, mention.start),
            )


def extract_tellings(corpus: Corpus, base_url: str | None = None) -> list[Telling]:
    """Every telling of the corpus, in document order."""
    newest = max((d.date for d in corpus.documents if d.date is not None), default=None)
    passage_of = _passage_of(corpus)
    found = [
        telling
        for number, document in enumerate(corpus.documents)
        for telling in _document_tellings(corpus, number, document, passage_of, base_url, newest)
    ]
    logger.debug("%d tellings in %d documents", len(found), len(corpus.documents))
    return found
