"""Start-up for `corpusbot bench`: a whole `corpusbot ask` process, without and with the saved index.

Cold: an empty CORPUSBOT_CACHE_DIR, so the process reads, cuts and analyses every file. Warm: the
saved index filled first by `corpusbot index` (timed too), so the process only maps it in.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.settings import bundled_corpus_dir
from retrieval.engine import Engine, new_file_cache

STARTUP_RUNS = 3
QUESTION = "What happened in Caracas on January 3?"


def _run(arguments: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one `corpusbot` process; raises when it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *arguments], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"`corpusbot {arguments[0]}` failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed


def measure_startup(folder: Path | None = None) -> dict[str, float | str]:
    """Cold and warm start-up of `corpusbot ask`, with and without the saved index.

    Medians of STARTUP_RUNS cold and warm `corpusbot ask` processes (one cold run on a given folder:
    a big one takes minutes), the `corpusbot index` that fills the cache, and an in-process load.
    """
    corpus = Path(folder) if folder else bundled_corpus_dir()
    cold_runs = 1 if folder else STARTUP_RUNS
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "CORPUSBOT_DATABASE_PATH": str(Path(tmp) / "bench.sqlite3"),
            "CORPUSBOT_CORPUS_DIR": str(corpus),
            "NUMBA_CACHE_DIR": str(Path(tmp) / "numba"),
        }
        ask = ["ask", "--json", QUESTION]
        cold = [_run(ask, {**env, "CORPUSBOT_CACHE_DIR": str(Path(tmp) / f"cold{n}")}) for n in range(cold_runs)]
        warm_env = {**env, "CORPUSBOT_CACHE_DIR": str(Path(tmp) / "warm")}
        index_s = _run(["index"], warm_env)
        warm = [_run(ask, warm_env) for _ in range(STARTUP_RUNS)]
        started = time.perf_counter()
        engine = Engine.load(corpus, cache=new_file_cache(Path(tmp) / "warm"))
        load_s = time.perf_counter() - started
    return {
        "folder": "bundled seeds" if folder is None else str(corpus),
        "passages": len(engine.corpus.passages),
        "cold_ask_s": statistics.median(cold),
        "index_s": index_s,
        "warm_ask_s": statistics.median(warm),
        "warm_load_s": load_s,
    }


def format_startup(startup: dict[str, float | str]) -> str:
    """The start-up line of the report."""
    return (
        f"Start-up on {startup['folder']} ({startup['passages']:,} passages): `corpusbot ask` "
        f"cold {startup['cold_ask_s']:.2f} s, warm {startup['warm_ask_s']:.2f} s (saved index mapped in: "
        f"{startup['warm_load_s']:.2f} s in-process); `corpusbot index` from empty {startup['index_s']:.2f} s."
    )
