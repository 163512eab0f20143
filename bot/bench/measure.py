"""Measuring for `corpusbot bench`: call latencies, peak memory, and the libraries we compare with.

rank-bm25's ``get_scores`` is the naive path our index replaced (it visits every passage for every
query term); bm25s is a fast sparse-matrix BM25, timed with its numpy and its numba backends;
tantivy is a compiled (Rust) search engine. All get our exact token lists and the same top-k;
rank-bm25 and bm25s also get the same BM25Plus parameters, so only the data structures differ.
tantivy has its own BM25 (Okapi, k1=1.2, b=0.75, fixed), so only its speed compares, not its scores.
"""

from __future__ import annotations

import gc
import logging
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
from rank_bm25 import BM25Plus

from retrieval.engine import release_freed_memory
from retrieval.search.index import Bm25Params

T = TypeVar("T")
R = TypeVar("R")

WARMUP_CALLS = 3
RANK_BM25_BUDGET = 4_000_000  # passages × queries rank-bm25 may visit per size: its sample shrinks as size grows
MIN_RANK_BM25_QUERIES = 5
SCORE_TOLERANCE = 1e-4  # bm25s scores in float32


def time_calls(call: Callable[[T], R], items: Sequence[T]) -> tuple[np.ndarray, list[R]]:
    """Milliseconds of each call and its result, after a few untimed calls warm the caches."""
    samples, results, _ = time_alternately(call, items)
    return samples, results


def time_alternately(
    call: Callable[[T], R], items: Sequence[T], alongside: Callable[[T], object] | None = None
) -> tuple[np.ndarray, list[R], np.ndarray]:
    """``time_calls``, with ``alongside`` (when given) timed on each item right after ``call``.

    Two libraries timed in alternation meet the same machine: on a VM whose speed drifts between
    minutes, timing one after the other moved the ratio between them by up to 2×.
    """
    for item in items[:WARMUP_CALLS]:
        call(item)
        if alongside is not None:
            alongside(item)
    gc.collect()
    samples: list[int] = []
    other: list[int] = []
    results: list[R] = []
    for item in items:
        started = time.perf_counter_ns()
        results.append(call(item))
        samples.append(time.perf_counter_ns() - started)
        if alongside is not None:
            started = time.perf_counter_ns()
            alongside(item)
            other.append(time.perf_counter_ns() - started)
    return np.asarray(samples, dtype=np.float64) / 1e6, results, np.asarray(other, dtype=np.float64) / 1e6


def percentile(samples: np.ndarray, q: float) -> float:
    """The ``q``-th percentile, NaN for no samples (a size that was skipped)."""
    return float(np.percentile(samples, q)) if len(samples) else float("nan")


def reset_peak_rss() -> bool:
    """Reset this process's high-water mark (Linux ``clear_refs`` 5), so each size reports its own peak.

    False when the kernel refuses: the peak then covers the whole run so far.
    """
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    """``getrusage(RUSAGE_SELF).ru_maxrss``: KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def settled_rss_mb() -> float:
    """This process's resident memory once garbage is collected and freed heap pages are handed back.

    What a long-running process keeps, not what a build left lying around: the same settling
    ``Engine.load`` does (``release_freed_memory``) before we or a peer are measured.
    """
    import psutil

    gc.collect()
    release_freed_memory()
    return float(psutil.Process().memory_info().rss / 2**20)


@dataclass(frozen=True, slots=True)
class RivalRun:
    """One library's build, memory and per-query latencies, and how often its best passage scored as ours.

    ``memory_mb``: resident memory its index added (settled); ``load_s``: opening the index it saved to
    disk (a warm start: bm25s memory-maps its arrays, tantivy opens its segments); NaN when not measured.
    """

    build_s: float
    latencies_ms: np.ndarray
    top1_agree: float
    memory_mb: float = float("nan")
    load_s: float = float("nan")
    alongside_ms: np.ndarray = field(default_factory=lambda: np.zeros(0))  # what was timed in alternation with it


def _agreement(best: Sequence[float | None], theirs: Sequence[float]) -> float:
    """Share of queries where both rank a passage with the same top score (ties may pick another one)."""
    pairs = [(ours, other) for ours, other in zip(best, theirs, strict=False) if ours is not None]
    if not pairs:
        return float("nan")
    same = sum(abs(ours - other) <= SCORE_TOLERANCE * max(1.0, abs(ours)) for ours, other in pairs)
    return same / len(pairs)


def rank_bm25_sample(passages: int, queries: int) -> int:
    """How many queries rank-bm25 gets: all on small corpora, fewer as it slows down linearly."""
    return min(queries, max(MIN_RANK_BM25_QUERIES, RANK_BM25_BUDGET // passages))


def run_rank_bm25(
    tokenized: list[list[str]], queries: list[list[str]], best: list[float | None], params: Bm25Params, k: int
) -> RivalRun:
    """rank-bm25 ``get_scores`` plus a top-k selection, on the first ``len(queries)`` queries."""
    started = time.perf_counter()
    model = BM25Plus(tokenized, k1=params.k1, b=params.b, delta=params.delta)
    build = time.perf_counter() - started
    top = min(k, len(tokenized))

    def query(terms: list[str]) -> float:
        scores = model.get_scores(terms)
        return float(scores[np.argpartition(-scores, top - 1)[:top]].max())

    latencies, results = time_calls(query, queries)
    return RivalRun(build, latencies, _agreement(best, results))


def run_bm25s(
    tokenized: list[list[str]],
    queries: list[list[str]],
    best: list[float | None],
    params: Bm25Params,
    k: int,
    backend: str = "numpy",
    alongside: Callable[[list[str]], object] | None = None,
) -> RivalRun:
    """Time bm25s on the same token lists and queries.

    bm25s indexed from our token lists (it does not re-tokenise them) and queried with ``retrieve``,
    on one thread; ``backend`` "numba" is its compiled top-k (compiled during the untimed warm-up).
    ``alongside`` (our top-k) is timed in alternation with it, query by query.
    """
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
    before = settled_rss_mb()
    started = time.perf_counter()
    retriever = bm25s.BM25(method="bm25+", k1=params.k1, b=params.b, delta=params.delta, backend=backend)
    retriever.index(tokenized, show_progress=False)
    build = time.perf_counter() - started
    memory = settled_rss_mb() - before
    with tempfile.TemporaryDirectory() as saved:
        retriever.save(saved, show_progress=False)
        started = time.perf_counter()
        reopened = bm25s.BM25.load(saved, mmap=True, show_progress=False, backend=backend)
        load = time.perf_counter() - started
        del reopened
    kept = set(retriever.vocab_dict) - {""}
    ours = {term for tokens in tokenized for term in tokens}
    if kept != ours:
        raise RuntimeError(f"bm25s changed the vocabulary: {len(kept ^ ours)} terms differ")
    top = min(k, len(tokenized))

    def query(terms: list[str]) -> float:
        _, scores = retriever.retrieve([terms], k=top, show_progress=False, n_threads=1)
        return float(scores[0][0])

    latencies, results, beside = time_alternately(query, queries, alongside)
    return RivalRun(build, latencies, _agreement(best, results), memory, load, beside)


def run_tantivy(tokenized: list[list[str]], queries: list[list[str]], k: int) -> RivalRun:
    """Time tantivy on the same terms and queries.

    tantivy over our terms (its whitespace tokenizer keeps them as they are), written to a folder so
    that opening it again is timed too, one optional clause per query term; its own BM25, so
    ``top1_agree`` is NaN (not comparable).
    """
    import tantivy

    with tempfile.TemporaryDirectory() as folder:
        before = settled_rss_mb()
        started = time.perf_counter()
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
        schema = builder.build()
        index = tantivy.Index(schema, path=folder)
        writer = index.writer(heap_size=256_000_000, num_threads=1)
        for tokens in tokenized:
            writer.add_document(tantivy.Document(body=" ".join(tokens)))
        writer.commit()
        writer.wait_merging_threads()
        del writer
        index.reload()
        searcher = index.searcher()
        build = time.perf_counter() - started
        memory = settled_rss_mb() - before
        started = time.perf_counter()
        tantivy.Index.open(folder).searcher()
        load = time.perf_counter() - started
        should = tantivy.Occur.Should

        def query(terms: list[str]) -> int:
            clauses = [(should, tantivy.Query.term_query(schema, "body", term)) for term in terms]
            return len(searcher.search(tantivy.Query.boolean_query(clauses), limit=k, count=False).hits)

        latencies, _ = time_calls(query, queries)
    return RivalRun(build, latencies, float("nan"), memory, load)
