"""`corpusbot bench`: how retrieval scales with the corpus, next to rank-bm25, bm25s and tantivy.

For each size, one seeded synthetic corpus (see bot/bench/corpus.py) goes through the real
pipeline: sentence analysis, ``Bm25Index``, ``Composer.answer``. The same token lists and queries
then go through rank-bm25 (the naive path), bm25s with its numpy and its numba backends, and
tantivy (compiled Rust), so the ratios compare data structures, not inputs. Speed is measured here
and never asserted in tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import marshal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bot.bench import writes
from bot.bench.corpus import synthetic_workload
from bot.bench.measure import (
    peak_rss_mb,
    percentile,
    rank_bm25_sample,
    reset_peak_rss,
    run_bm25s,
    run_rank_bm25,
    run_tantivy,
    settled_rss_mb,
    time_calls,
)
from bot.bench.startup import format_startup, measure_startup
from bot.settings import Settings
from retrieval.answer.composer import CANDIDATE_PASSAGES, Composer, analyse_sentences, passage_terms
from retrieval.search.index import Bm25Index
from retrieval.search.saved import load_index, save_index

logger = logging.getLogger(__name__)

DEFAULT_SIZES = "1000,10000,50000,200000"
DEFAULT_QUERIES = 200
BENCH_PACKAGES = ("rank_bm25", "bm25s", "tantivy", "psutil")
MISSING = "corpusbot bench needs the optional packages rank-bm25, bm25s, tantivy and psutil: pip install '.[bench]'"
TARGET_SIZE = 50_000
RETRIEVE_TARGET_MS = 1.0
ANSWER_TARGET_MS = 2.0
ENGINE_TARGET_MB = {50_000: 400.0, 200_000: 1000.0}  # steady memory the engine may hold at these sizes


def add_parser(commands: argparse._SubParsersAction) -> None:
    """`bench` and its options."""
    bench = commands.add_parser("bench", help="retrieval speed and memory at scale, next to other BM25 libraries")
    bench.add_argument("--sizes", type=_sizes, default=_sizes(DEFAULT_SIZES), help="passage counts, comma-separated")
    bench.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="queries per size (default 200)")
    bench.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus and queries")
    bench.add_argument("--json", action="store_true", help="print one JSON list, an object per size")
    bench.add_argument(
        "--startup-folder", type=Path, help="also time cold and warm start-up on this corpus folder (not with --json)"
    )
    writes.add_arguments(bench)
    bench.set_defaults(handler=cmd_bench)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected comma-separated passage counts, got {text!r}") from error
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("every size must be at least 1 passage")
    return sizes


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot bench`: measure each size (in a fresh process), print a table or JSON."""
    if args.writes:
        return writes.cmd_writes(args)
    missing = [name for name in BENCH_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        print(f"{MISSING} (missing: {', '.join(missing)})", file=sys.stderr)
        return 2
    if args.queries < 1:
        print("corpusbot bench: --queries must be at least 1", file=sys.stderr)
        return 2
    results = []
    for passages in args.sizes:
        result = measure_in_fresh_process(passages, args.queries, args.seed, alone=len(args.sizes) == 1)
        results.append(result)
        if not args.json:
            print(format_size(result), flush=True)
    if args.json:
        print(json.dumps(results))
        return 0
    print(format_targets(results))
    print(format_startup(measure_startup()))
    if args.startup_folder:
        print(format_startup(measure_startup(args.startup_folder)))
    return 0


def measure_in_fresh_process(passages: int, queries: int, seed: int, *, alone: bool) -> dict[str, Any]:
    """``measure_size`` in a process of its own (unless it is the run's only size).

    Each size then starts from the same empty process, as a bot does: the engine's memory includes what
    every engine pays once (the model, numba, their libraries), and no size inherits another's heap.
    """
    if alone:
        return measure_size(passages, queries, seed)
    command = [sys.executable, "-m", "bot.cli.main", "bench", "--sizes", str(passages), "--queries", str(queries)]
    done = subprocess.run([*command, "--seed", str(seed), "--json"], capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"measuring {passages:,} passages failed: {done.stderr.strip()[-800:]}")
    measured: dict[str, Any] = json.loads(done.stdout)[0]
    return measured


def measure_size(passages: int, queries: int, seed: int) -> dict[str, Any]:
    """Every number of one size; the keys are the `--json` contract (the first nine are fixed)."""
    peak_is_per_size = reset_peak_rss()
    rss_before = settled_rss_mb()
    workload = synthetic_workload(passages, queries, seed)
    corpus = workload.corpus
    started = time.perf_counter()
    tokens = analyse_sentences(corpus)
    analyse_s = time.perf_counter() - started
    tokenized = [passage_terms(tokens, passage) for passage in corpus.passages]
    index_before = settled_rss_mb()
    started = time.perf_counter()
    index = Bm25Index(tokenized)
    build_s = time.perf_counter() - started
    index_mb = settled_rss_mb() - index_before
    load_s = _saved_index_load_s(index)
    started = time.perf_counter()
    composer = Composer(corpus, index, tokens)
    answer_build_s = time.perf_counter() - started
    vectors_mb = composer.vectors.nbytes / 2**20
    index.load_kernel()  # as the bot does once loaded
    with tempfile.TemporaryFile() as kept:  # the peers' token lists wait on disk: no engine holds them
        marshal.dump(tokenized, kept)
        del tokens, tokenized
        query_terms = [list(query) for query in workload.queries]
        tops = [index.top(terms, CANDIDATE_PASSAGES) for terms in query_terms]  # timed below, beside bm25s-numba
        answer_ms, answers = time_calls(composer.answer, workload.questions())
        peak = peak_rss_mb()
        process_mb = settled_rss_mb()
        engine_mb = process_mb - rss_before
        best = [top[0][1] if top else None for top in tops]
        params = index.params
        documents = len(corpus.documents)
        del composer, workload, corpus  # the other libraries get the memory back (the index stays: 35 MB at 50k)
        kept.seek(0)
        tokenized = marshal.load(kept)
    sample = rank_bm25_sample(passages, queries)
    rank = run_rank_bm25(tokenized, query_terms[:sample], best[:sample], params, CANDIDATE_PASSAGES)
    fast = run_bm25s(tokenized, query_terms, best, params, CANDIDATE_PASSAGES)
    ours = partial(index.top, k=CANDIDATE_PASSAGES)
    compiled = run_bm25s(tokenized, query_terms, best, params, CANDIDATE_PASSAGES, backend="numba", alongside=ours)
    retrieve_ms = compiled.alongside_ms
    del index
    rust = run_tantivy(tokenized, query_terms, CANDIDATE_PASSAGES)
    retrieve_p50 = percentile(retrieve_ms, 50)
    peers = {"bm25s": fast, "bm25s_numba": compiled, "tantivy": rust}
    return {
        "passages": passages,
        "build_s": round(build_s, 4),
        "retrieve_p50_ms": round(retrieve_p50, 4),
        "retrieve_p99_ms": round(percentile(retrieve_ms, 99), 4),
        "answer_p50_ms": round(percentile(answer_ms, 50), 4),
        "answer_p99_ms": round(percentile(answer_ms, 99), 4),
        "rank_bm25_p50_ms": round(percentile(rank.latencies_ms, 50), 4),
        "bm25s_p50_ms": round(percentile(fast.latencies_ms, 50), 4),
        "peak_rss_mb": round(peak, 1),
        "documents": documents,
        "terms": sum(map(len, tokenized)),
        "queries": queries,
        "answered": sum(answer.answered for answer in answers),
        "analyse_s": round(analyse_s, 4),
        "engine_rss_mb": round(engine_mb, 1),
        "peak_rss_per_size": peak_is_per_size,
        "rank_bm25_build_s": round(rank.build_s, 4),
        "rank_bm25_p99_ms": round(percentile(rank.latencies_ms, 99), 4),
        "rank_bm25_queries": sample,
        "rank_bm25_top1_agree": rank.top1_agree,
        "bm25s_build_s": round(fast.build_s, 4),
        "bm25s_p99_ms": round(percentile(fast.latencies_ms, 99), 4),
        "bm25s_top1_agree": fast.top1_agree,
        "retrieve_vs_bm25s": round(retrieve_p50 / percentile(fast.latencies_ms, 50), 3),
        "bm25s_numba_p50_ms": round(percentile(compiled.latencies_ms, 50), 4),
        "bm25s_numba_p99_ms": round(percentile(compiled.latencies_ms, 99), 4),
        "bm25s_numba_build_s": round(compiled.build_s, 4),
        "bm25s_numba_top1_agree": compiled.top1_agree,
        "tantivy_p50_ms": round(percentile(rust.latencies_ms, 50), 4),
        "tantivy_p99_ms": round(percentile(rust.latencies_ms, 99), 4),
        "tantivy_build_s": round(rust.build_s, 4),
        "retrieve_vs_bm25s_numba": round(retrieve_p50 / percentile(compiled.latencies_ms, 50), 3),
        "answer_build_s": round(answer_build_s, 4),
        "vectors_mb": round(vectors_mb, 1),
        "process_rss_mb": round(process_mb, 1),
        "index_rss_mb": round(index_mb, 1),
        "index_load_s": round(load_s, 4),
        **{f"{key}_rss_mb": round(run.memory_mb, 1) for key, run in peers.items()},
        **{f"{key}_load_s": round(run.load_s, 4) for key, run in peers.items()},
    }


def _saved_index_load_s(index: Bm25Index) -> float:
    """Seconds to map a saved copy of ``index`` back in (what a warm start does instead of building it)."""
    with tempfile.TemporaryDirectory() as folder:
        save_index(index, Path(folder) / "index")
        started = time.perf_counter()
        loaded = load_index(Path(folder) / "index", index.params)
        elapsed = time.perf_counter() - started
    if loaded is None:
        raise RuntimeError("the saved index could not be read back")
    return elapsed


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return f"{ours / theirs:.3g}×" if ours is not None and theirs else "–"


PEERS = (("rank-bm25", "rank_bm25"), ("bm25s", "bm25s"), ("bm25s-numba", "bm25s_numba"), ("tantivy", "tantivy"))


def format_size(r: dict[str, Any]) -> str:
    """One size as a table: our numbers, each library's, and ours ÷ the fastest compiled peer."""
    rows: list[tuple[str, str, str]] = [
        ("index build (s)", "build_s", "{}_build_s"),
        (f"top-{CANDIDATE_PASSAGES} p50 (ms)", "retrieve_p50_ms", "{}_p50_ms"),
        (f"top-{CANDIDATE_PASSAGES} p99 (ms)", "retrieve_p99_ms", "{}_p99_ms"),
        ("index memory (MB)", "index_rss_mb", "{}_rss_mb"),
        ("saved index open (s)", "index_load_s", "{}_load_s"),
    ]
    lines = [
        f"== {r['passages']:,} passages · {r['documents']:,} documents · {r['terms'] / 1e6:.2f}M terms · "
        f"{r['queries']} queries ({r['answered']} answered) ==",
        f"{'':<22}{'corpusbot':>11}" + "".join(f"{name:>13}" for name, _ in PEERS) + f"{'÷ bm25s-numba':>15}",
    ]
    for label, ours, theirs in rows:
        values = [r.get(theirs.format(key)) for _, key in PEERS]
        lines.append(
            f"{label:<22}{_number(r[ours]):>11}"
            + "".join(f"{_number(v):>13}" for v in values)
            + f"{_ratio(r[ours], values[2]):>15}"
        )
    lines += [
        f"{'full answer p50 (ms)':<22}{_number(r['answer_p50_ms']):>11}",
        f"{'full answer p99 (ms)':<22}{_number(r['answer_p99_ms']):>11}",
        f"{'sentence analysis (s)':<22}{_number(r['analyse_s']):>11}",
        f"{'reranker data build (s)':<22}{_number(r['answer_build_s']):>11}",
        f"{'sentence vectors (MB)':<22}{_number(r['vectors_mb']):>11}",
    ]
    scope = "this size" if r["peak_rss_per_size"] else "the run so far"
    lines.append(
        f"{'peak RSS (MB)':<22}{_number(r['peak_rss_mb']):>11}   ru_maxrss over {scope}, "
        f"before the other libraries load; the engine holds {r['engine_rss_mb']:,.0f} MB "
        f"(the whole process {r['process_rss_mb']:,.0f} MB)"
    )
    sample = r["rank_bm25_queries"]
    sampled = f"rank-bm25 timed on {sample} of {r['queries']} queries. " if sample < r["queries"] else ""
    lines.append(
        f"{sampled}Best score equal to ours: rank-bm25 {r['rank_bm25_top1_agree']:.0%}, "
        f"bm25s {r['bm25s_top1_agree']:.0%}, bm25s-numba {r['bm25s_numba_top1_agree']:.0%} of queries "
        "(tantivy scores with its own BM25).\n"
    )
    return "\n".join(lines)


def format_targets(results: list[dict[str, Any]]) -> str:
    """Whether the issue's targets hold on this run."""
    at_target = next((r for r in results if r["passages"] == TARGET_SIZE), None)

    def check(key: str, limit: float, label: str) -> str:
        if at_target is None:
            return f"{label}: not measured (no {TARGET_SIZE:,}-passage size in --sizes)"
        verdict = "holds" if at_target[key] <= limit else "MISSED"
        return f"{label}: {verdict} ({at_target[key]:.3f} ms)"

    memory = [
        f"  engine memory ≤ {limit:,.0f} MB at {size:,}: "
        + ("holds" if r["engine_rss_mb"] <= limit else "MISSED")
        + f" ({r['engine_rss_mb']:,.0f} MB)"
        for size, limit in ENGINE_TARGET_MB.items()
        for r in results
        if r["passages"] == size
    ]

    large = [r for r in results if r["passages"] >= TARGET_SIZE]  # below, per-call overheads dominate
    slow = [r for r in large if r["retrieve_vs_bm25s_numba"] > 1]
    ratios = ", ".join(f"{r['passages']:,}: {r['retrieve_vs_bm25s_numba']:.2f}×" for r in results)
    verdict = "MISSED at " + ", ".join(f"{r['passages']:,}" for r in slow) if slow else "holds"
    if not large:
        verdict = f"not measured (no size of {TARGET_SIZE:,} passages or more)"
    return "\n".join(
        [
            "Targets",
            "  " + check("retrieve_p50_ms", RETRIEVE_TARGET_MS, f"retrieval p50 ≤ {RETRIEVE_TARGET_MS:g} ms at 50k"),
            f"  retrieval p50 at or below bm25s-numba's from {TARGET_SIZE:,} passages: {verdict} ({ratios})",
            "  " + check("answer_p50_ms", ANSWER_TARGET_MS, f"full answer p50 ≤ {ANSWER_TARGET_MS:g} ms at 50k"),
            *memory,
            "",
        ]
    )
