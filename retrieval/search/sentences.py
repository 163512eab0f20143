"""Per-sentence statistics computed at index time, so that answering only reads them.

The reranker scores every sentence of the candidate passages; for that it needs each sentence's
term counts and length, each passage's term set and which sentences a passage holds. Computing those
once per corpus keeps an answer's cost independent of how long the passages are.
"""

from __future__ import annotations

from collections import Counter
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
        self.counts: list[Counter[str]] = [Counter(terms) for terms in self.terms]
        lengths = [len(terms) for terms in self.terms]
        self.average_length = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
        self.passage_rows: list[range] = [
            range(self.row_of[(p.doc_id, p.first_sentence)], self.row_of[(p.doc_id, p.last_sentence)] + 1)
            for p in passages
        ]
        self.passage_terms: list[frozenset[str]] = [
            frozenset(term for row in rows for term in self.terms[row]) for rows in self.passage_rows
        ]
        self.paragraph_of: list[tuple[str, int]] = [(s.doc_id, s.paragraph) for s in sentences]
