"""From a chosen sentence to a citable quote: neighbours it leans on, distinct spans, links.

Quotes are built only for what an answer shows: ranking works on sentence rows, and a ``Quote``
(with its line numbers and link) is made for the few sentences that survive the distinctness check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.corpus.links import quote_url
from retrieval.corpus.loader import Corpus
from retrieval.corpus.sections import citation_fields
from retrieval.models import Document, Quote
from retrieval.search.sentences import SentenceStats
from retrieval.text.analysis import IRREGULAR_FORMS, stem

MAX_QUOTE_SENTENCES = 3
NEAR_DUPLICATE = 0.7  # share of the smaller quote's terms found in the other: above this it repeats it

# First words that make a sentence lean on the one before it.
_LEANING_WORDS = frozenset(
    """he she it they this that these those his her its their him them but and so also yet however
    then there such both which who here thus still instead meanwhile first second""".split()
)
_OPENING_QUOTES = "\"'“‘«( "
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W\d_]+)?(?:-[^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of sentences of one document: its text's span, and the terms (ids) it holds."""

    doc_id: str
    start: int  # the first sentence's start in the document's text
    end: int  # the last sentence's end
    terms: frozenset[int]

    def overlaps(self, other: Span) -> bool:
        """Whether both spans quote some of the same text: an answer never shows a passage twice."""
        return self.doc_id == other.doc_id and self.start < other.end and other.start < self.end

    def repeats(self, other: Span) -> bool:
        """Whether this span says nearly what ``other`` says (NEAR_DUPLICATE), e.g. the same story in two articles."""
        small = min(len(self.terms), len(other.terms))
        return bool(small) and len(self.terms & other.terms) / small >= NEAR_DUPLICATE


class QuoteMaker:
    """Extends sentences into quotes and turns spans into ``Quote`` objects for one corpus."""

    def __init__(self, corpus: Corpus, stats: SentenceStats, base_url: str | None) -> None:
        self.corpus = corpus
        self.stats = stats
        self.base_url = base_url
        self._sentences = corpus.sentence_table  # read by column: an answer tries ~10 spans, each 1–3 sentences
        self._starts, self._ends = self._sentences.column("start"), self._sentences.column("end")

    def span(self, row: int, wanted: set[int]) -> Span:
        """The sentence at ``row``, plus neighbours of its paragraph when it cannot stand alone.

        The sentence before joins when this one leans on it (starts with "He", "But", …, or is a
        fragment); the sentence after joins when it carries question terms (``wanted``, as term ids) the
        quote lacks, or leans back on the quote and is short.
        """
        sentences, stats = self._sentences, self.stats
        first = last = row
        if not stands_alone(sentences.text(row)) and stats.same_paragraph(row, row - 1):
            first = row - 1
        after = row + 1
        if after < len(sentences) and after - first < MAX_QUOTE_SENTENCES and stats.same_paragraph(row, after):
            adds = wanted.intersection(stats.row_ids(after, after + 1).tolist())
            adds.difference_update(stats.row_ids(first, last + 1).tolist())
            following = sentences.text(after)
            if adds or (not stands_alone(following) and len(following.split()) <= 12):
                last = after
        return Span(
            sentences.document_of(row).doc_id,
            int(self._starts[first]),
            int(self._ends[last]),
            frozenset(stats.row_ids(first, last + 1).tolist()),
        )

    def distinct(self, rows: Sequence[int], wanted: set[str], limit: int) -> list[tuple[int, Span]]:
        """The best ``limit`` spans, skipping those that overlap or nearly repeat a better one."""
        ids = {number for number in map(self.stats.term_id, wanted) if number is not None}
        kept: list[tuple[int, Span]] = []
        for position, row in enumerate(rows):
            span = self.span(row, ids)
            if any(span.overlaps(other) or span.repeats(other) for _, other in kept):
                continue
            kept.append((position, span))
            if len(kept) >= limit:
                break
        return kept

    def quote(self, span: Span, wanted: set[str], score: float) -> Quote:
        """The ``Quote`` an answer shows for ``span``, with the question's ``wanted`` terms highlighted."""
        document = self.corpus.document(span.doc_id)
        text = document.text[span.start : span.end]
        return self.make(document, span.start, span.end, score, highlights(text, wanted))

    def make(self, document: Document, start: int, end: int, score: float = 0.0, highlights: tuple = ()) -> Quote:
        """A citable quote of ``document.text[start:end]``, with its lines and link."""
        text = document.text[start:end]
        line_start, line_end = document.line_of(start), document.line_of(end - 1)
        return Quote(
            text=text,
            doc_id=document.doc_id,
            title=document.title,
            date=document.date,
            url=quote_url(
                document,
                text,
                line_start,
                line_end,
                start=start,
                base_url=self.base_url,
                corpus_label=self.corpus.label,
            ),
            line_start=line_start,
            line_end=line_end,
            score=score,
            start=start,
            end=end,
            highlights=highlights,
            **citation_fields(document, start, end),
        )


def highlights(text: str, wanted: set[str]) -> tuple[tuple[int, int], ...]:
    """Spans of the words of ``text`` whose term the question holds.

    A light pass (word, lower case, possessive dropped, then the cached stemmer; numbers without
    their thousands commas) instead of the full analysis: it runs for every quote an answer shows.
    A word is stemmed only when its stem could be wanted: the stemmer keeps a word's first letter
    (only the irregular forms change it), so a word whose first letter begins no wanted term is not.
    """
    initials = {term[:1] for term in wanted}
    found = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if "'" in word or "’" in word:
            word = word.replace("’", "'").partition("'")[0]
        if word[:1].isdigit():
            word = word.replace(",", "")
        if word in wanted:
            found.append(match.span())
            continue
        for part in word.split("-") if "-" in word else (word,):
            if part and (part in wanted or ((part[0] in initials or part in IRREGULAR_FORMS) and stem(part) in wanted)):
                found.append(match.span())
                break
    return tuple(found)


def stands_alone(text: str) -> bool:
    """False for a sentence that leans on the previous one: a leading pronoun or connective, or a fragment."""
    words = text.lstrip(_OPENING_QUOTES).split()
    if len(words) < 4:
        return False
    first = words[0].lower().rstrip(",;:").replace("’", "'").split("'")[0]
    return first not in _LEANING_WORDS and not words[0][:1].islower()
