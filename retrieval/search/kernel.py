"""The compiled top-k loop over the impact CSR: accumulate each query term's postings, keep the k best.

numba compiles it once per machine (``cache=True`` keeps the machine code next to this file, or in
numba's user cache when that folder is read-only), and ``nogil`` lets the event loop run while a
question is ranked. Importing numba costs about half a second, so the index imports this module on
its first query, not at start-up.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _worse(score: float, doc: int, other_score: float, other_doc: int) -> bool:
    """Ranking order: higher score first, then the earlier passage."""
    return score < other_score or (score == other_score and doc > other_doc)


@njit(cache=True, nogil=True)
def _sift_down(scores: np.ndarray, docs: np.ndarray, size: int, at: int) -> None:
    """Restore the min-heap (root = the worst kept passage) below ``at``."""
    while True:
        child = 2 * at + 1
        if child >= size:
            return
        if child + 1 < size and _worse(scores[child + 1], docs[child + 1], scores[child], docs[child]):
            child += 1
        if not _worse(scores[child], docs[child], scores[at], docs[at]):
            return
        scores[at], scores[child] = scores[child], scores[at]
        docs[at], docs[child] = docs[child], docs[at]
        at = child


@njit(cache=True, nogil=True)
def top_k(
    indptr: np.ndarray,
    indices: np.ndarray,
    impacts: np.ndarray,
    terms: np.ndarray,
    weights: np.ndarray,
    k: int,
    accumulator: np.ndarray,
    seen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best passages holding a query term and their scores, best first (ties: earlier first).

    ``accumulator`` (float64) and ``seen`` (uint8), one slot per passage, must be zero on entry and
    are zero again on return, so a caller reuses them instead of allocating per query.
    """
    total = 0
    for i in range(terms.shape[0]):
        total += indptr[terms[i] + 1] - indptr[terms[i]]
    touched = np.empty(total, dtype=np.int32)
    count = 0
    for i in range(terms.shape[0]):
        weight = weights[i]
        for position in range(indptr[terms[i]], indptr[terms[i] + 1]):
            doc = indices[position]
            if seen[doc] == 0:
                seen[doc] = 1
                touched[count] = doc
                count += 1
            accumulator[doc] += weight * impacts[position]
    size_limit = min(k, count)
    heap_scores = np.empty(size_limit, dtype=np.float64)
    heap_docs = np.empty(size_limit, dtype=np.int32)
    size = 0
    for j in range(count):
        doc = touched[j]
        score = accumulator[doc]
        accumulator[doc] = 0.0
        seen[doc] = 0
        if size < size_limit:  # sift the new leaf up
            at = size
            heap_scores[at], heap_docs[at] = score, doc
            size += 1
            while at > 0:
                parent = (at - 1) // 2
                if not _worse(heap_scores[at], heap_docs[at], heap_scores[parent], heap_docs[parent]):
                    break
                heap_scores[at], heap_scores[parent] = heap_scores[parent], heap_scores[at]
                heap_docs[at], heap_docs[parent] = heap_docs[parent], heap_docs[at]
                at = parent
        elif size_limit and _worse(heap_scores[0], heap_docs[0], score, doc):
            heap_scores[0], heap_docs[0] = score, doc
            _sift_down(heap_scores, heap_docs, size, 0)
    best_scores = np.empty(size, dtype=np.float64)
    best_docs = np.empty(size, dtype=np.int32)
    for slot in range(size - 1, -1, -1):  # pop the worst into the last free slot
        best_scores[slot], best_docs[slot] = heap_scores[0], heap_docs[0]
        last = slot
        heap_scores[0], heap_docs[0] = heap_scores[last], heap_docs[last]
        _sift_down(heap_scores, heap_docs, last, 0)
    return best_docs, best_scores
