"""Loading the corpus the settings name, through the saved index, and noticing when it should be reloaded.

A running bot reloads when `corpusbot reload` (another process) touches a request file next to the
database, or, with ``watch_corpus``, when the corpus files change; both are cheap to poll.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import threading
from functools import partial
from pathlib import Path
from typing import NamedTuple

from bot.errors import CorpusUnreadable
from bot.services.build import WORKER_MIN_BYTES, ProgressLog, fill_in_worker, pending_bytes
from bot.settings import Settings, bundled_corpus_dir
from retrieval.engine import Engine, Progress, SavedFiles, new_file_cache

logger = logging.getLogger(__name__)

RELOAD_REQUEST_SUFFIX = ".reload"


def load_engine(
    settings: Settings,
    *,
    cache: SavedFiles | None = None,
    previous: Engine | None = None,
    progress: Progress | None = None,
) -> Engine:
    """Build the engine the settings describe, through the saved index under ``settings.cache_dir``.

    Blocking: call it in a thread from async code.

    ``previous`` is returned as it is when nothing changed since it was built. Raises CorpusUnreadable
    when the folder is missing, unreadable or holds no readable document.
    """
    corpus_dir = Path(settings.corpus_dir)
    # realpath, not resolve(): it never raises, so a broken folder (a symlink loop) is reported in words.
    label = "seeds" if os.path.realpath(corpus_dir) == os.path.realpath(bundled_corpus_dir()) else str(corpus_dir)
    # numba keeps the compiled top-k kernel next to its source, which an installed package may not be able
    # to write; the cache folder always can (read when the first question imports the kernel).
    os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(settings.cache_dir) / "numba"))
    try:
        return Engine.load(
            corpus_dir,
            base_url=settings.source_base_url,
            label=label,
            cache=cache if cache is not None else new_file_cache(settings.cache_dir),
            previous=previous,
            progress=progress,
        )
    except (OSError, ValueError) as error:
        raise CorpusUnreadable(str(error)) from error


async def build_engine(
    settings: Settings, cache: SavedFiles, previous: Engine | None = None, *, serving: bool = False
) -> Engine:
    """Load the engine without stalling the event loop; cancelling it stops the build within seconds.

    Files the saved index lacks are read in a worker process when there is much to read; the rest
    is mapped in from the cache in a thread, which checks for a stop request between files. A
    ``serving`` process (the bot) also loads the compiled top-k, which a one-shot command would not repay.
    """
    stop = threading.Event()
    try:
        if await asyncio.to_thread(_pending_bytes, cache, Path(settings.corpus_dir)) >= WORKER_MIN_BYTES:
            await fill_in_worker(settings.corpus_dir, settings.cache_dir, settings.log_level, settings.log_format)
        engine = await asyncio.to_thread(
            partial(load_engine, settings, cache=cache, previous=previous, progress=ProgressLog(stop))
        )
        if serving:
            await asyncio.to_thread(engine.index.load_kernel)
    except asyncio.CancelledError:
        stop.set()  # the thread stops at its next file
        raise
    if engine is not previous:
        gc.collect(1)
        gc.freeze()  # the engine's millions of objects leave the collector's scans: no second-long pauses
    return engine


def _pending_bytes(cache: SavedFiles, corpus_dir: Path) -> int:
    """``pending_bytes``, with a missing folder counted as nothing to read (loading reports it)."""
    try:
        return pending_bytes(cache, corpus_dir)
    except OSError:
        return 0


def reload_request_path(settings: Settings) -> Path:
    """The file `corpusbot reload` touches to ask a running bot (another process) to reload."""
    path = Path(settings.database_path)
    return path.with_name(path.name + RELOAD_REQUEST_SUFFIX)


class WatchState(NamedTuple):
    """What the watcher compares: the reload request's modification time and the corpus fingerprint."""

    request: int | None
    corpus: tuple[tuple[str, int, int], ...]


def watch_state(settings: Settings) -> WatchState:
    """Taken *before* a corpus is read, so an edit made while it loads is still noticed afterwards."""
    return WatchState(_mtime(reload_request_path(settings)), corpus_fingerprint(Path(settings.corpus_dir)))


def corpus_fingerprint(corpus_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the corpus files: cheap to poll for changes."""
    try:
        entries = sorted(corpus_dir.iterdir())
    except OSError:
        return ()
    found = []
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:
            continue
        found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
