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
def _select(accumulator: np.ndarray, docs: np.ndarray, count: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best of ``docs[:count]`` by their accumulated score, best first, with a min-heap."""
    size_limit = min(k, count)
    heap_scores = np.empty(size_limit, dtype=np.float64)
    heap_docs = np.empty(size_limit, dtype=np.int32)
    size = 0
    for j in range(count):
        doc = docs[j]
        score = accumulator[doc]
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
        heap_scores[0], heap_docs[0] = heap_scores[slot], heap_docs[slot]
        _sift_down(heap_scores, heap_docs, slot, 0)
    return best_docs, best_scores


@njit(cache=True, nogil=True)
def _add_for_candidates(
    indices: np.ndarray,
    impacts: np.ndarray,
    low: int,
    high: int,
    weight: float,
    candidates: np.ndarray,
    count: int,
    accumulator: np.ndarray,
    seen: np.ndarray,
) -> None:
    """Add one term's impacts to the candidates only.

    Add one term's impacts to the candidates only (``seen`` == 2): by binary search when they are
    few next to its postings, else by one walk over them.
    """
    if count * 2 * np.log2(high - low + 1) < high - low:
        position = low
        for c in range(count):  # candidates ascending: each search starts where the last one ended
            doc = candidates[c]
            left, right = position, high
            while left < right:
                middle = (left + right) // 2
                if indices[middle] < doc:
                    left = middle + 1
                else:
                    right = middle
            position = left
            if position < high and indices[position] == doc:
                accumulator[doc] += weight * impacts[position]
    else:
        for position in range(low, high):
            doc = indices[position]
            if seen[doc] == 2:
                accumulator[doc] += weight * impacts[position]


@njit(cache=True, nogil=True)
def top_k(
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
    """The ``k`` best passages holding a query term and their scores, best first (ties: earlier first).

    ``accumulator`` (float64) and ``seen`` (uint8), one slot per passage, must be zero on entry and
    are zero again on return, so a caller reuses them instead of allocating per query.

    ``bounds`` (each term's weight × its largest impact; empty: no pruning, needed when impacts may be
    negative) lets terms be added best bound first until the bounds of the terms left cannot lift an
    unseen passage to the current k-th score (MaxScore); the terms left are then added only to the
    passages that can still reach it. Exact: a pruned passage ends strictly below the k-th score.
    """
    n = terms.shape[0]
    prune = bounds.shape[0] == n and n > 1
    order = np.argsort(-bounds) if prune else np.arange(n)
    remaining = bounds.sum() if prune else 0.0
    total = 0
    for i in range(n):
        total += indptr[terms[i] + 1] - indptr[terms[i]]
    touched = np.empty(total, dtype=np.int32)
    count = 0
    best = -np.inf
    threshold = -np.inf
    done = 0
    while done < n:
        term, weight = terms[order[done]], weights[order[done]]
        for position in range(indptr[term], indptr[term + 1]):
            doc = indices[position]
            if seen[doc] == 0:
                seen[doc] = 1
                touched[count] = doc
                count += 1
            value = accumulator[doc] + weight * impacts[position]
            accumulator[doc] = value
            best = max(best, value)
        done += 1
        if prune:
            remaining -= bounds[order[done - 1]]
            if done < n and count >= k and remaining < best:
                threshold = _select(accumulator, touched, count, k)[1][k - 1]
                if remaining < threshold:
                    break
    if done < n:  # prune: only passages that can still reach the threshold go on
        floor = threshold - remaining - 1e-9 * (abs(threshold) + 1.0)  # float slack: never drop a tie
        candidates = np.empty(count, dtype=np.int32)
        kept = 0
        for j in range(count):
            if accumulator[touched[j]] >= floor:
                candidates[kept] = touched[j]
                seen[touched[j]] = 2
                kept += 1
        candidates = np.sort(candidates[:kept])
        while done < n:
            term, weight = terms[order[done]], weights[order[done]]
            _add_for_candidates(
                indices, impacts, indptr[term], indptr[term + 1], weight, candidates, kept, accumulator, seen
            )
            done += 1
        result = _select(accumulator, candidates, kept, k)
    else:
        result = _select(accumulator, touched, count, k)
    for j in range(count):
        accumulator[touched[j]] = 0.0
        seen[touched[j]] = 0
    return result
