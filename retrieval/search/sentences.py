"""Per-sentence statistics computed at index time, so that answering only reads them.

The reranker scores every sentence of the candidate passages; for that it needs each sentence's
terms, its number of distinct terms, each passage's term set, which sentences a passage holds and
which paragraph a sentence belongs to. Computing those once per corpus keeps an answer's cost
independent of how long the passages are. Terms are kept as tuples of shared strings (counting a
term in a tuple of ~20 is a C loop), not one dict per sentence, and numbers in compact arrays
(``array``, which index faster than numpy from Python), to keep the memory small.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence

from retrieval.models import Passage, Sentence
from retrieval.text.analysis import Token


class SentenceStats:
    """Rows are the corpus's sentences in order; ``row_of[(doc_id, index)]`` finds a sentence's row."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        passages: Sequence[Passage],
        tokens: Mapping[tuple[str, int], list[Token]],
    ) -> None:
        self.row_of: dict[tuple[str, int], int] = {(s.doc_id, s.index): row for row, s in enumerate(sentences)}
        self.terms: list[tuple[str, ...]] = [tuple(t.term for t in tokens[(s.doc_id, s.index)]) for s in sentences]
        self.distinct = array("l", (len(set(terms)) for terms in self.terms))
        total = sum(len(terms) for terms in self.terms)
        self.average_length = total / len(sentences) if total else 1.0
        self.passage_rows: list[range] = [
            range(self.row_of[(p.doc_id, p.first_sentence)], self.row_of[(p.doc_id, p.last_sentence)] + 1)
            for p in passages
        ]
        self.passage_terms: list[frozenset[str]] = [
            frozenset(term for row in rows for term in self.terms[row]) for rows in self.passage_rows
        ]
        # One number per (document, paragraph): equal numbers mean the same paragraph.
        keys: dict[tuple[str, int], int] = {}
        self.paragraph_of = array("l", (keys.setdefault((s.doc_id, s.paragraph), len(keys)) for s in sentences))

    def same_paragraph(self, row: int, other: int) -> bool:
        """Whether sentence row ``other`` exists and shares ``row``'s paragraph."""
        return 0 <= other < len(self.terms) and self.paragraph_of[other] == self.paragraph_of[row]
