"""BM25 ranking over one CSR of impacts: every term's postings and its BM25 contribution per passage.

The index stores, for each term, the passages holding it (int32) and the term's whole BM25
contribution in each (float32 "impacts"), built with numpy in one pass. A query only touches the
passages holding its terms; a compiled loop (retrieval/search/kernel.py) adds their impacts and keeps
the k best with a heap. rank-bm25 is the reference: a parity test pins ``scores`` to its
``get_scores`` (to float32 precision), but it is no longer used to build, so its per-passage
dictionaries are not left behind.

Variant and parameters, chosen on the dev set (see README "Retrieval"): BM25Plus, k1=1.2, b=0.75,
delta=1.0. Okapi's IDF floor (epsilon × average IDF for terms in over half the passages) flattens
common-but-meaningful words such as "strike" on a corpus of a few dozen passages, and its IDF goes
negative near df = N/2; BM25Plus's IDF, log((N+1)/df), is always positive and its delta rewards a
passage for holding a term at all, which favours short quotable passages. BM25L is avoided: the
PyPI release's implementation is known to be wrong.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Literal

import numpy as np

logger = logging.getLogger(__name__)

Variant = Literal["plus", "okapi"]
_NO_BOUNDS = np.zeros(0)
COMPILED_MIN_PASSAGES = 10_000  # numpy's top-k takes ≤ 0.2 ms below this; numba costs ~1.5 s to load


@dataclass(frozen=True, slots=True)
class Bm25Params:
    """BM25's variant and constants; part of the saved index's key."""

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
        lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
        # Terms numbered by first appearance, as rank-bm25 orders its vocabulary; C-level loops only.
        vocabulary = list(dict.fromkeys(chain.from_iterable(tokenized)))
        numbers = {term: number for number, term in enumerate(vocabulary)}
        term_ids = np.fromiter(
            map(numbers.__getitem__, chain.from_iterable(tokenized)), dtype=np.int64, count=int(lengths.sum())
        )
        del numbers
        self._setup(params, vocabulary, build_arrays(term_ids, lengths, len(vocabulary), params))

    @classmethod
    def from_term_ids(
        cls, term_ids: np.ndarray, lengths: np.ndarray, vocabulary: list[str], params: Bm25Params = Bm25Params()
    ) -> Bm25Index:
        """An index over passages given as ids into ``vocabulary``, laid end to end (``lengths`` per passage).

        What a corpus whose sentences are already numbered (``TermTable``) indexes from, without a list of
        strings per passage. Terms no passage holds are left out of the index's vocabulary.
        """
        if not len(lengths):
            raise ValueError("cannot index an empty corpus")
        term_ids = term_ids.astype(np.int64)
        used = np.bincount(term_ids, minlength=len(vocabulary)) > 0
        if not used.all():
            term_ids = (np.cumsum(used) - 1)[term_ids]
            vocabulary = [term for term, kept in zip(vocabulary, used.tolist(), strict=True) if kept]
        return cls.from_arrays(params, vocabulary, build_arrays(term_ids, lengths, len(vocabulary), params))

    @classmethod
    def from_arrays(cls, params: Bm25Params, vocabulary: list[str], arrays: IndexArrays) -> Bm25Index:
        """An index over arrays built earlier (e.g. memory-mapped from the cache), without rebuilding."""
        index = cls.__new__(cls)
        index._setup(params, vocabulary, arrays)
        return index

    def _setup(self, params: Bm25Params, vocabulary: list[str], arrays: IndexArrays) -> None:
        self.params = params
        self.arrays = arrays
        self.size = int(arrays.size)
        self.avg_length = float(arrays.avg_length)
        self.vocabulary = vocabulary
        self._ids = {term: number for number, term in enumerate(vocabulary)}
        self._idf = arrays.idf
        # Each term's largest impact: the kernel's pruning bounds, valid only when no impact is negative
        # (Okapi's IDF can be; BM25Plus's never is).
        impacts, starts = arrays.impacts, arrays.indptr[:-1]
        self._term_max = np.maximum.reduceat(impacts, starts).astype(np.float64) if len(impacts) else np.zeros(0)
        self._prunable = bool(len(impacts)) and float(impacts.min()) >= 0
        self._scratch = threading.local()  # per-thread zeroed buffers for the kernel

    def idf(self, term: str) -> float:
        """IDF of a term; a term the corpus never uses weighs as if half a passage held it."""
        number = self._ids.get(term)
        if number is not None:
            return float(self._idf[number])
        return math.log((self.size + 1) / 0.5)

    @property
    def numbers(self) -> dict[str, int]:
        """Each term's number (its row in the postings and in ``vocabulary``)."""
        return self._ids

    def knows(self, term: str) -> bool:
        """Whether any passage holds ``term``."""
        return term in self._ids

    def _baseline(self, query: Sequence[str]) -> float:
        """The BM25Plus constant the impacts leave out.

        BM25Plus adds idf × delta to every passage for every query term, held or not; the
        impacts hold only the rest, so this constant is added back to match rank-bm25.
        """
        if self.params.variant != "plus":
            return 0.0
        return sum(float(self._idf[self._ids[t]]) for t in query if t in self._ids) * self.params.delta

    def _postings(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.arrays.indptr[number], self.arrays.indptr[number + 1]
        return self.arrays.indices[start:end], self.arrays.impacts[start:end]

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of every passage, equal to rank-bm25's ``get_scores(query)`` to float32 precision."""
        total = np.full(self.size, self._baseline(query))
        for term, count in Counter(query).items():
            number = self._ids.get(term)
            if number is not None:
                ids, impacts = self._postings(number)
                total[ids] += count * impacts.astype(np.float64)
        return total

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best passages holding at least one query term, best first (ties: earlier first).

        The per-query Python around the kernel is kept to one pass over the query (it was a third of a
        query's time at 50k passages): each term's number and count, and the BM25Plus baseline summed in
        the same order as ``_baseline``.
        """
        numbers, idf = self._ids, self._idf
        counts: dict[int, int] = {}
        baseline = 0.0
        for term in query:
            number = numbers.get(term)
            if number is not None:
                counts[number] = counts.get(number, 0) + 1
                baseline += float(idf[number])
        if not counts or k <= 0:
            return []
        top_k = _compiled[0] if self.size >= COMPILED_MIN_PASSAGES and _compiled else numpy_top_k
        scratch = self._scratch
        if getattr(scratch, "accumulator", None) is None:
            scratch.accumulator = np.zeros(self.size, dtype=np.float64)
            scratch.seen = np.zeros(self.size, dtype=np.uint8)
        terms = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        arrays = self.arrays
        bounds = weights * self._term_max[terms] if self._prunable else _NO_BOUNDS
        docs, values = top_k(
            arrays.indptr, arrays.indices, arrays.impacts, terms, weights, bounds, k, scratch.accumulator, scratch.seen
        )
        if self.params.variant == "plus":
            baseline *= self.params.delta
            return list(zip(docs.tolist(), (values + baseline).tolist(), strict=True))
        return list(zip(docs.tolist(), values.tolist(), strict=True))

    def load_kernel(self) -> bool:
        """Load the compiled top-k.

        Load the compiled top-k (numba: ~1.5 s to import and read its cached machine code); True when
        ``top`` uses it from now on. Until then, and always below COMPILED_MIN_PASSAGES, ``top`` uses the
        numpy top-k, which returns the same ranking: a one-shot `corpusbot ask` never pays numba's start-up,
        a long-running bot calls this once after loading.
        """
        return self.size >= COMPILED_MIN_PASSAGES and _kernel() is not numpy_top_k

    def best_possible(self, query: Sequence[str]) -> float:
        """An upper bound of any passage's score for ``query``: every term saturated."""
        k1 = self.params.k1
        return sum(self.idf(t) * (k1 + 1) for t in query) + self._baseline(query)


_compiled: list[Callable[..., tuple[np.ndarray, np.ndarray]]] = []  # the kernel, once ``_kernel`` has loaded it


@functools.cache
def _kernel() -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """The top-k kernel: numba's when it loads, else numpy's.

    The numba kernel, imported on the first query (numba costs ~0.5 s to import); the numpy one when
    numba cannot load or compile here (e.g. a sandbox that forbids making written pages executable).
    """
    try:
        from retrieval.search.kernel import top_k

        empty = np.zeros(1, dtype=np.int64)
        top_k(
            empty,
            empty[:0].astype(np.int32),
            empty[:0].astype(np.float32),
            empty[:0],
            empty[:0] * 1.0,
            _NO_BOUNDS,
            1,
            np.zeros(0),
            np.zeros(0, dtype=np.uint8),
        )
    except Exception:
        logger.warning("numba is unavailable here; ranking with the slower numpy top-k", exc_info=True)
        _compiled.append(numpy_top_k)
        return numpy_top_k
    _compiled.append(top_k)
    return top_k


def numpy_top_k(
    indptr: np.ndarray,
    indices: np.ndarray,
    impacts: np.ndarray,
    terms: np.ndarray,
    weights: np.ndarray,
    bounds: np.ndarray,
    k: int,
    accumulator: np.ndarray,
    seen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's contract in numpy.

    The kernel's contract in numpy: same results, a few times slower (no pruning: ``bounds`` and the
    scratch arrays go unused).
    """
    ids = np.concatenate([indices[indptr[t] : indptr[t + 1]] for t in terms.tolist()])
    values = np.concatenate(
        [impacts[indptr[t] : indptr[t + 1]] * w for t, w in zip(terms.tolist(), weights.tolist(), strict=True)]
    )
    candidates, position = np.unique(ids, return_inverse=True)
    totals = np.bincount(position, weights=values, minlength=len(candidates))
    if len(candidates) > k:  # keep every tie of the k-th score, so earlier passages win ties
        kth = -np.partition(-totals, k - 1)[k - 1]
        keep = totals >= kth
        candidates, totals = candidates[keep], totals[keep]
    order = np.lexsort((candidates, -totals))[:k]
    return candidates[order].astype(np.int32), totals[order]


@dataclass(frozen=True, slots=True)
class IndexArrays:
    """Everything an index is besides its term strings: plain arrays, so they can be saved and mapped."""

    indptr: np.ndarray  # int64, one per term + 1: term t's postings are [indptr[t], indptr[t + 1])
    indices: np.ndarray  # int32 passage numbers, ascending within a term
    impacts: np.ndarray  # float32 BM25 contribution of the term in that passage (without BM25Plus's delta)
    idf: np.ndarray  # float64, one per term
    size: int
    avg_length: float


def build_arrays(term_ids: np.ndarray, lengths: np.ndarray, terms: int, params: Bm25Params) -> IndexArrays:
    """The CSR of impacts from every passage's term ids laid end to end (``lengths`` says where each ends)."""
    size = len(lengths)
    passages = np.repeat(np.arange(size, dtype=np.int64), lengths)
    keys, tf = np.unique(term_ids * size + passages, return_counts=True)  # sorted term-major, then passage
    del passages
    term_of = keys // size
    indices = (keys - term_of * size).astype(np.int32)
    del keys
    df = np.bincount(term_of, minlength=terms)
    indptr = np.zeros(terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    idf = _idf(df, size, params)
    avg_length = float(lengths.sum()) / size or 1.0  # every passage empty: avoid dividing by zero
    norm = params.k1 * (1 - params.b + params.b * lengths / avg_length)
    tf = tf.astype(np.float64)
    impacts = (idf[term_of] * (tf * (params.k1 + 1) / (tf + norm[indices]))).astype(np.float32)
    return IndexArrays(indptr, indices, impacts, idf, size, avg_length)


def _idf(df: np.ndarray, size: int, params: Bm25Params) -> np.ndarray:
    """rank-bm25's IDF, vectorised: BM25Plus log((N+1)/df); Okapi with its epsilon × mean floor."""
    if params.variant == "plus":
        return np.log((size + 1) / df)
    idf = np.log(size - df + 0.5) - np.log(df + 0.5)
    if len(idf):
        idf[idf < 0] = params.epsilon * float(idf.mean())
    return idf
