"""`corpusbot bench --writes`: how fast the query log takes rows, on SQLite and on PostgreSQL.

Rows go through the real path: ``Database.writer.record`` queues them and the background writer
inserts them in batches, one transaction each. A burst of one batch is queued and flushed at a time,
so each flush is one batch's latency (queue to commit) and the total is the sustained write rate.
Speed is measured here and never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bot.bench.measure import percentile
from bot.records import LogEntry, SourceRef, new_answer_id
from bot.store import Database
from bot.store.backends.postgres import redact
from bot.store.writer import BATCH_SIZE

logger = logging.getLogger(__name__)

DEFAULT_ROWS = 20_000
GUILDS = 50


def add_arguments(bench: argparse.ArgumentParser) -> None:
    """The write benchmark's options on `corpusbot bench` (the retrieval benchmark owns the rest)."""
    bench.add_argument(
        "--writes", action="store_true", help="measure query-log writes (SQLite, and PostgreSQL with --postgres-url)"
    )
    bench.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"rows per backend (default {DEFAULT_ROWS})")
    bench.add_argument("--postgres-url", help="an empty PostgreSQL database to write into (tables are created)")


def entries(count: int) -> list[LogEntry]:
    """Rows shaped like real ones: a question, two cited spans, spread over guilds, channels and a day."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    template = LogEntry(
        interface="slash",
        question="What did the report say about the oil exports in January?",
        answered=True,
        sources=(SourceRef("001_report", 10, 12), SourceRef("002_article", 40, 41)),
        score=0.73,
        latency_ms=4,
        corpus_version="bench",
    )
    return [
        replace(
            template,
            answer_id=new_answer_id(),
            guild_id=1_000 + i % GUILDS,
            channel_id=10_000 + i % (GUILDS * 4),
            user_id=100_000 + i % 5_000,
            ts=start + timedelta(milliseconds=i * 10),
        )
        for i in range(count)
    ]


async def measure(target: str, rows: int) -> dict[str, Any]:
    """Write ``rows`` rows into the database at ``target``; rows/s and batch latency percentiles."""
    batches: list[float] = []
    database = await Database.open(target)
    try:
        work = entries(rows)
        started = time.perf_counter()
        for first in range(0, rows, BATCH_SIZE):
            burst = time.perf_counter()
            for entry in work[first : first + BATCH_SIZE]:
                database.writer.record(entry)
            await database.writer.flush()
            batches.append((time.perf_counter() - burst) * 1000)
        elapsed = time.perf_counter() - started
        stored = await database.questions.count()
        lost = database.writer.failed_writes
    finally:
        await database.close()
    return {
        "backend": target.split(":", 1)[0],
        "target": redact(target),
        "rows": rows,
        "stored": stored,
        "lost": lost,
        "batch_rows": BATCH_SIZE,
        "rows_per_s": round(rows / elapsed),
        "batch_ms_p50": round(percentile(np.array(batches), 50), 2),
        "batch_ms_p99": round(percentile(np.array(batches), 99), 2),
    }


async def measure_all(rows: int, postgres_url: str | None) -> list[dict[str, Any]]:
    """SQLite in a temporary folder, then PostgreSQL when a URL is given."""
    with tempfile.TemporaryDirectory(prefix="corpusbot-bench-") as folder:
        results = [await measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", rows)]
    if postgres_url:
        results.append(await measure(postgres_url, rows))
    return results


def format_results(results: list[dict[str, Any]]) -> str:
    """One line per backend, and a note when PostgreSQL was not measured."""
    lines = [f"query-log writes, {results[0]['rows']} rows in batches of {results[0]['batch_rows']}"]
    lines += [
        f"  {r['backend']:<11} {r['rows_per_s']:>8} rows/s   batch p50 {r['batch_ms_p50']:>7.1f} ms"
        f"   p99 {r['batch_ms_p99']:>7.1f} ms   stored {r['stored']}, lost {r['lost']}"
        for r in results
    ]
    if len(results) == 1:
        lines.append("  postgresql  not measured: pass --postgres-url postgresql://… (an empty database)")
    return "\n".join(lines)


def cmd_writes(args: argparse.Namespace) -> int:
    """`corpusbot bench --writes`: exit 1 if any row was lost (a benchmark that drops rows measures nothing)."""
    if args.rows < 1:
        print("corpusbot bench: --rows must be at least 1")
        return 2
    results = asyncio.run(measure_all(args.rows, args.postgres_url))
    print(json.dumps(results) if args.json else format_results(results))
    return 0 if all(r["stored"] == r["rows"] and not r["lost"] for r in results) else 1
