"""BM25 ranking: rank-bm25 fits the model, numpy postings answer queries.

rank-bm25's ``get_scores`` walks every passage in Python for every query term (~60 ms at 50k
passages). We let rank-bm25 compute the statistics once (IDF, lengths), then store each term's BM25
contribution per passage in postings, so a query only touches the passages that hold its terms.
A parity test pins ``scores`` to rank-bm25's ``get_scores``.

Variant and parameters, chosen on the dev set (see README "Retrieval"): BM25Plus, k1=1.2, b=0.75,
delta=1.0. Okapi's IDF floor (epsilon × average IDF for terms in over half the passages) flattens
common-but-meaningful words such as "strike" on a corpus of a few dozen passages, and its IDF goes
negative near df = N/2; BM25Plus's IDF, log((N+1)/df), is always positive and its delta rewards a
passage for holding a term at all, which favours short quotable passages. BM25L is avoided: the
PyPI release's implementation is known to be wrong.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rank_bm25 import BM25Okapi, BM25Plus

Variant = Literal["plus", "okapi"]


@dataclass(frozen=True, slots=True)
class Bm25Params:
    variant: Variant = "plus"
    k1: float = 1.2
    b: float = 0.3
    delta: float = 1.0  # BM25Plus only
    epsilon: float = 0.25  # Okapi only


class Bm25Index:
    """An immutable BM25 index over tokenised passages."""

    def __init__(self, tokenized: Sequence[Sequence[str]], params: Bm25Params = Bm25Params()) -> None:
        if not tokenized:
            raise ValueError("cannot index an empty corpus")
        self.params = params
        docs = [list(tokens) for tokens in tokenized]
        model = self._fit(docs)
        self.size = len(docs)
        self.avg_length = float(model.avgdl) or 1.0  # every passage empty: avoid dividing by zero
        self._idf: dict[str, float] = dict(model.idf)
        self._vocabulary = {term: number for number, term in enumerate(self._idf)}
        lengths = np.asarray(model.doc_len, dtype=np.float64)
        self._norm = params.k1 * (1 - params.b + params.b * lengths / self.avg_length)
        self._postings = self._build_postings(model.doc_freqs)

    def _fit(self, docs: list[list[str]]) -> BM25Okapi | BM25Plus:
        p = self.params
        if p.variant == "okapi":
            return BM25Okapi(docs, k1=p.k1, b=p.b, epsilon=p.epsilon)
        return BM25Plus(docs, k1=p.k1, b=p.b, delta=p.delta)

    def _build_postings(self, doc_freqs: list[dict[str, int]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For every term: the passages holding it and its BM25 contribution in each."""
        rows: list[list[int]] = [[] for _ in self._vocabulary]
        freqs: list[list[int]] = [[] for _ in self._vocabulary]
        vocabulary = self._vocabulary
        for passage, counts in enumerate(doc_freqs):
            for term, count in counts.items():
                number = vocabulary[term]
                rows[number].append(passage)
                freqs[number].append(count)
        k1 = self.params.k1
        postings = []
        for term, number in vocabulary.items():
            ids = np.asarray(rows[number], dtype=np.int32)
            tf = np.asarray(freqs[number], dtype=np.float64)
            saturation = tf * (k1 + 1) / (tf + self._norm[ids])
            postings.append((ids, (self._idf[term] * saturation).astype(np.float64)))
        return postings

    def idf(self, term: str) -> float:
        """IDF of a term; a term the corpus never uses weighs as if half a passage held it."""
        if term in self._idf:
            return self._idf[term]
        return math.log((self.size + 1) / 0.5)

    def knows(self, term: str) -> bool:
        return term in self._vocabulary

    def _baseline(self, query: Sequence[str]) -> float:
        """BM25Plus adds idf × delta to every passage for every query term, held or not; the
        postings hold only the rest, so this constant is added back to match rank-bm25."""
        if self.params.variant != "plus":
            return 0.0
        return sum(self._idf.get(term, 0.0) for term in query) * self.params.delta

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of every passage, identical to rank-bm25's ``get_scores(query)``."""
        total = np.full(self.size, self._baseline(query))
        for term, count in Counter(query).items():
            number = self._vocabulary.get(term)
            if number is not None:
                ids, contributions = self._postings[number]
                total[ids] += count * contributions
        return total

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best passages holding at least one query term, best first (ties: earlier first)."""
        counts = Counter(query)
        found = [(self._vocabulary[t], c) for t, c in counts.items() if t in self._vocabulary]
        if not found or k <= 0:
            return []
        if len(found) == 1:
            ((number, count),) = found
            ids, contributions = self._postings[number]
            candidates, values = ids, contributions * count
        else:
            ids = np.concatenate([self._postings[n][0] for n, _ in found])
            if len(ids) * 16 < self.size:  # few postings: sorting them beats a pass over every passage
                candidates = np.unique(ids)
                values = np.zeros(len(candidates))
                for number, count in found:
                    held, contributions = self._postings[number]
                    values[np.searchsorted(candidates, held)] += contributions * count
            else:  # frequent terms: one dense accumulation, no sort (~3x faster at 50k passages)
                weights = np.concatenate([self._postings[n][1] * c for n, c in found])
                candidates = np.flatnonzero(np.bincount(ids, minlength=self.size))
                values = np.bincount(ids, weights=weights, minlength=self.size)[candidates]
        if len(candidates) > k:  # keep every tie of the k-th score, so earlier passages win ties
            kth = -np.partition(-values, k - 1)[k - 1]
            keep = values >= kth
            candidates, values = candidates[keep], values[keep]
        order = np.lexsort((candidates, -values))[:k]
        baseline = self._baseline(query)
        return [(int(candidates[i]), float(values[i] + baseline)) for i in order]

    def best_possible(self, query: Sequence[str]) -> float:
        """An upper bound of any passage's score for ``query``: every term saturated."""
        k1 = self.params.k1
        return sum(self.idf(t) * (k1 + 1) for t in query) + self._baseline(query)
