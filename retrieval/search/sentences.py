"""Per-sentence statistics computed at index time, so that answering only reads them.

The reranker scores every sentence of the candidate passages; for that it needs each sentence's
terms, its number of distinct terms, each passage's term set (built on demand, a few kept), which
sentences a passage holds and which paragraph a sentence belongs to. Computing those once per
corpus keeps an answer's cost independent of how long the passages are. Terms are kept as tuples
of shared strings (counting a term in a tuple of ~20 is a C loop), not one dict per sentence, and
numbers in compact arrays (``array``, which index faster than numpy from Python), to keep the
memory small.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Protocol

from retrieval.models import Passage, Sentence

PASSAGE_SETS = 256  # passage term sets kept between answers: one answer reads ~24 passages and neighbours


class HasTerms(Protocol):
    """A sentence's analysed terms (``composer.SentenceTerms``; search must not import answer)."""

    @property
    def terms(self) -> tuple[str, ...]:
        """The sentence's analysed terms, in order."""
        ...


class SentenceStats:
    """Rows are the corpus's sentences in order; ``passage_rows[number]`` are a passage's rows."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        passages: Sequence[Passage],
        tokens: Mapping[tuple[str, int], HasTerms],
    ) -> None:
        row_of = {(s.doc_id, s.index): row for row, s in enumerate(sentences)}  # build-time only
        self.terms: list[tuple[str, ...]] = [tokens[(s.doc_id, s.index)].terms for s in sentences]  # shared tuples
        self.distinct = array("l", (len(set(terms)) for terms in self.terms))
        total = sum(len(terms) for terms in self.terms)
        self.average_length = total / len(sentences) if total else 1.0
        self.passage_rows: list[range] = [
            range(row_of[(p.doc_id, p.first_sentence)], row_of[(p.doc_id, p.last_sentence)] + 1) for p in passages
        ]
        # A set per passage would be most of this object's memory (~4 KB each): built when an answer asks.
        self._passage_sets: dict[int, frozenset[str]] = {}
        # One number per (document, paragraph): equal numbers mean the same paragraph.
        keys: dict[tuple[str, int], int] = {}
        self.paragraph_of = array("l", (keys.setdefault((s.doc_id, s.paragraph), len(keys)) for s in sentences))

    def passage_terms(self, number: int) -> frozenset[str]:
        """The distinct terms of passage ``number``: built on demand, the last PASSAGE_SETS or fewer kept."""
        found = self._passage_sets.get(number)
        if found is None:
            if len(self._passage_sets) >= PASSAGE_SETS:
                self._passage_sets.clear()
            found = frozenset(chain.from_iterable(map(self.terms.__getitem__, self.passage_rows[number])))
            self._passage_sets[number] = found
        return found

    def same_paragraph(self, row: int, other: int) -> bool:
        """Whether sentence row ``other`` exists and shares ``row``'s paragraph."""
        return 0 <= other < len(self.terms) and self.paragraph_of[other] == self.paragraph_of[row]
