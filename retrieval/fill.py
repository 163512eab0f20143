"""Filling the saved index with every core: new or changed files read by a pool of worker processes.

Reading a file (pySBD, then analysis) is pure Python, so threads would not help; each worker process
reads whole files and writes their entries to the cache itself, so nothing large crosses a pipe. The
biggest files go first, so one large document does not finish alone at the end. A SIGTERM stops the
workers too, at once, instead of leaving them to finish their files as orphans.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from retrieval.corpus.loader import document_files
from retrieval.engine import Progress, SavedFiles, new_file_cache

_worker_caches: dict[str, SavedFiles] = {}


def _prepare_into(cache_dir: str, path: str, meta: Mapping[str, Any]) -> None:
    """In a worker: read one file into the cache (the result stays on disk, not sent back)."""
    cache = _worker_caches.get(cache_dir)
    if cache is None:
        cache = _worker_caches[cache_dir] = new_file_cache(Path(cache_dir))
    cache.get(Path(path), meta)


def _stop_children(signum: int, frame: object) -> None:
    for child in multiprocessing.active_children():
        child.terminate()
    os._exit(128 + signum)


@contextmanager
def _children_die_with_us() -> Iterator[None]:
    """While the pool runs, SIGTERM terminates its workers before this process exits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop_children)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def fill_cache(
    corpus_dir: Path, cache_dir: Path, workers: int | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Read every file the saved index lacks; returns how many were read and how many it already held.

    ``workers`` defaults to the number of cores; one worker (or one file) reads in this process.
    ``progress`` may raise to stop: the pool is then terminated, not waited for.
    """
    cache = new_file_cache(Path(cache_dir))
    paths, metadata, _ = document_files(Path(corpus_dir))
    pending = [p for p in paths if not cache.holds(p, metadata.get(p.stem, {}))]
    pending.sort(key=lambda p: p.stat().st_size, reverse=True)
    workers = min(workers or os.cpu_count() or 1, len(pending))
    if workers <= 1:
        for number, path in enumerate(pending, 1):
            cache.get(path, metadata.get(path.stem, {}))
            if progress is not None:
                progress(number, len(pending), path.name)
        return {"read": len(pending), "held": len(paths) - len(pending)}
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    with _children_die_with_us():
        try:
            futures = {
                pool.submit(_prepare_into, str(cache_dir), str(path), metadata.get(path.stem, {})): path
                for path in pending
            }
            for number, future in enumerate(as_completed(futures), 1):
                future.result()
                if progress is not None:
                    progress(number, len(pending), futures[future].name)
        except BaseException:
            for child in multiprocessing.active_children():
                child.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    return {"read": len(pending), "held": len(paths) - len(pending)}
