"""Building the saved index without stalling the bot: reading new files runs in a worker process.

Reading and analysing files is pure Python; in the bot's process it would hold the GIL for seconds
at a time and delay interaction acknowledgements past Discord's 3 s. So when files must be read
afresh, a worker process reads them into the saved index (retrieval/cache.py), and the bot only
maps the result in. A stop request (SIGTERM while starting, or shutdown during a reload) terminates
the worker at once and interrupts the mapping-in between two files.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import CorpusUnreadable
from bot.logconfig import configure_logging
from bot.settings import Settings
from retrieval.corpus.loader import document_files
from retrieval.engine import Progress, SavedFiles
from retrieval.fill import fill_cache

logger = logging.getLogger(__name__)

WORKER_MIN_BYTES = 256 * 1024  # less to read than this: a worker's own start-up would cost more than it saves
PROGRESS_LOG_SECONDS = 5.0
WORKER_POLL_SECONDS = 0.1
WORKER_STOP_SECONDS = 5.0


class BuildCancelled(Exception):
    """The build was asked to stop (shutdown); the current engine, if any, stays."""


@dataclass
class ProgressLog:
    """Logs how far reading the corpus got, every few seconds; raises BuildCancelled once ``stop`` is set."""

    stop: threading.Event = field(default_factory=threading.Event)
    what: str = "reading the corpus"
    _last: float = field(default_factory=time.monotonic)

    def __call__(self, done: int, total: int, name: str) -> None:
        """Log every few seconds; stop the build when asked (between two files)."""
        if self.stop.is_set():
            raise BuildCancelled(f"stopped after {done} of {total} files")
        now = time.monotonic()
        if now - self._last >= PROGRESS_LOG_SECONDS or (done == total and total >= 100):
            self._last = now
            logger.info("%s: %d/%d files (%s)", self.what, done, total, name)


def pending_bytes(cache: SavedFiles, corpus_dir: Path) -> int:
    """Size of the files the saved index does not hold yet (they must be read and analysed)."""
    paths, metadata, _ = document_files(corpus_dir)
    return sum(path.stat().st_size for path in paths if not cache.holds(path, metadata.get(path.stem, {})))


def _worker_main(corpus_dir: str, cache_dir: str, log_level: str, log_format: str) -> None:
    """The index worker process's entry point.

    The worker process: fill the saved index for every file of the folder (a pool of one process per
    core), logging progress.
    """
    configure_logging(log_level, log_format)
    counts = fill_cache(Path(corpus_dir), Path(cache_dir), progress=ProgressLog(what="worker: reading new files"))
    logger.info("worker: saved index complete (%d files read, %d already saved)", counts["read"], counts["held"])


async def fill_in_worker(corpus_dir: Path, cache_dir: Path, log_level: str = "INFO", log_format: str = "text") -> None:
    """Run the worker and wait for it without blocking the loop; cancelling terminates it."""
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads and an event loop
    process = context.Process(
        target=_worker_main,
        args=(str(corpus_dir), str(cache_dir), log_level, log_format),
        name="corpusbot-index",
        daemon=False,  # it runs a pool of readers; stopping it is this function's job (below)
    )
    process.start()
    logger.info("reading new corpus files in worker process %s", process.pid)
    try:
        while process.is_alive():
            await asyncio.sleep(WORKER_POLL_SECONDS)
    finally:
        if process.is_alive():  # cancelled: stop it now, not when it is done
            process.terminate()
            await asyncio.to_thread(process.join, WORKER_STOP_SECONDS)
            if process.is_alive():
                process.kill()
            logger.info("worker process %s stopped", process.pid)
    if process.exitcode:
        raise RuntimeError(f"the index worker failed (exit code {process.exitcode}); see its log above")


def index_corpus(settings: Settings, *, workers: int | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Fill the saved index ahead of time (`corpusbot index`).

    `corpusbot index`: read every new or changed corpus file into the saved index, ``workers`` processes
    at a time; returns how many files were read and how many it already held.

    Raises CorpusUnreadable when the corpus folder cannot be listed.
    """
    try:
        return fill_cache(Path(settings.corpus_dir), Path(settings.cache_dir), workers=workers, progress=progress)
    except OSError as error:
        raise CorpusUnreadable(str(error)) from error
