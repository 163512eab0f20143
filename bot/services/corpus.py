"""The one code path behind every interface: ask, list sources, reload — each question logged.

Discord handlers and terminal commands both call this; it never imports discord. Retrieval runs in
one dedicated worker thread so the event loop keeps heartbeating and acknowledging interactions:
retrieval is pure Python under the GIL, so more threads would add no throughput, only contention
that stalls the loop (measured with `python -m tests.load_discord`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bot.services.build import WORKER_MIN_BYTES, ProgressLog, fill_in_worker, pending_bytes
from bot.settings import Settings, bundled_corpus_dir
from bot.store.models import ChannelConfig, Interface, LogEntry, SourceRef, new_answer_id
from bot.store.querylog import QueryLog
from retrieval.cache import FileCache
from retrieval.engine import Engine, PreparedFile, Progress, new_file_cache
from retrieval.models import Answer
from retrieval.timeline.events import Timeline, build_timeline

logger = logging.getLogger(__name__)
T = TypeVar("T")

RELOAD_REQUEST_SUFFIX = ".reload"
CONFIG_READ_TIMEOUT = 1.0
WATCH_INTERVAL_SECONDS = 2.0  # how often a running bot looks for `corpusbot reload` and corpus changes
TIMELINE_LOGGED_EVENTS = 20  # a timeline's log row cites its first events, not the whole corpus


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a question came from, as the log records it."""

    interface: Interface
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Served:
    answer: Answer
    answer_id: str
    latency_ms: int


def load_engine(
    settings: Settings,
    *,
    cache: FileCache[PreparedFile] | None = None,
    previous: Engine | None = None,
    progress: Progress | None = None,
) -> Engine:
    """Build the engine the settings describe, through the saved index under ``settings.cache_dir``
    (blocking: call it in a thread from async code)."""
    corpus_dir = Path(settings.corpus_dir)
    label = "seeds" if corpus_dir.resolve() == bundled_corpus_dir().resolve() else str(corpus_dir)
    # numba keeps the compiled top-k kernel next to its source, which an installed package may not be able
    # to write; the cache folder always can (read when the first question imports the kernel).
    os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(settings.cache_dir) / "numba"))
    return Engine.load(
        corpus_dir,
        base_url=settings.source_base_url,
        label=label,
        cache=cache if cache is not None else new_file_cache(settings.cache_dir),
        previous=previous,
        progress=progress,
    )


async def build_engine(
    settings: Settings, cache: FileCache[PreparedFile], previous: Engine | None = None, *, serving: bool = False
) -> Engine:
    """Load the engine without stalling the event loop; cancelling it stops the build within seconds.

    Files the saved index lacks are read in a worker process when there is much to read; the rest
    is mapped in from the cache in a thread, which checks for a stop request between files. A
    ``serving`` process (the bot) also loads the compiled top-k, which a one-shot command would not repay.
    """
    stop = threading.Event()
    try:
        if await asyncio.to_thread(pending_bytes, cache, Path(settings.corpus_dir)) >= WORKER_MIN_BYTES:
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


class CorpusService:
    """Holds the current engine and the query log; swaps the engine atomically on reload."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        log: QueryLog | None,
        cache: FileCache[PreparedFile] | None = None,
        *,
        serving: bool = False,
    ) -> None:
        self.settings = settings
        self.serving = serving
        self.engine = engine
        self.log = log
        self.cache = cache if cache is not None else new_file_cache(settings.cache_dir)
        self._reload_lock = asyncio.Lock()
        self._seen = watch_state(settings)  # the state the current engine was loaded from
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="retrieval")
        self._configs: dict[tuple[int, int], ChannelConfig] = {}

    async def _off_loop(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    @classmethod
    async def start(cls, settings: Settings, *, with_log: bool = True, serving: bool = False) -> CorpusService:
        """Load the corpus (off the event loop) and open the query log; ``serving``: a long-running process
        (the bot), which loads the compiled top-k kernel too.

        A log that cannot be opened is reported and the service answers without it: losing the
        log must never take answers down.
        """
        seen = watch_state(settings)
        cache = new_file_cache(settings.cache_dir)  # kept: a reload re-reads only changed files
        engine = await build_engine(settings, cache, serving=serving)
        log = None
        if with_log:
            try:
                log = await QueryLog.open(settings.database_path)
            except Exception:
                logger.exception("cannot open the query log at %s; answering without it", settings.database_path)
        service = cls(settings, engine, log, cache, serving=serving)
        service._seen = seen
        return service

    async def close(self) -> None:
        """Flush and close the log (used at shutdown)."""
        if self.log is not None:
            await self.log.close()
        self._worker.shutdown(wait=False, cancel_futures=True)

    async def ask(self, question: str, origin: Origin) -> Served:
        """Answer in a worker thread, then queue the log row (never waits for the disk)."""
        engine = self.engine  # the engine this question started on, whatever a reload does meanwhile
        started = time.perf_counter()
        answer = await self._off_loop(engine.ask, question)
        latency_ms = round((time.perf_counter() - started) * 1000)
        answer_id = new_answer_id()
        self.record(answer, origin, latency_ms, answer_id)
        logger.info(
            "answered=%s latency_ms=%d interface=%s",
            answer.answered,
            latency_ms,
            origin.interface,
            extra={"guild_id": origin.guild_id, "channel_id": origin.channel_id, "latency_ms": latency_ms},
        )
        return Served(answer, answer_id, latency_ms)

    def record(self, answer: Answer, origin: Origin, latency_ms: int, answer_id: str | None = None) -> None:
        """Queue one log row; a missing or failing log is reported, never raised."""
        if self.log is None:
            return
        entry = LogEntry.from_answer(
            answer,
            interface=origin.interface,
            latency_ms=latency_ms,
            guild_id=origin.guild_id,
            channel_id=origin.channel_id,
            user_id=origin.user_id,
            answer_id=answer_id,
        )
        try:
            self.log.record(entry)
        except Exception:
            logger.exception("could not queue a query-log row")

    async def vote(self, answer_id: str, user_id: int, up: bool) -> tuple[int, int] | None:
        """Store one user's vote on an answer (a second vote replaces the first); None if it could not be stored."""
        if self.log is None:
            return None
        try:
            return await self.log.vote(answer_id, user_id, up)
        except Exception:
            logger.exception("could not store a feedback vote")
            return None

    async def channel_config(self, guild_id: int | None, channel_id: int | None) -> ChannelConfig:
        """The moderators' settings for a channel; defaults when there is none, no log, or no guild (DMs).

        Cached in memory: this read sits before every interaction's 3-second acknowledgement, and
        settings change only through `set_channel_config`, which updates the cache.
        """
        default = ChannelConfig(guild_id or 0, channel_id or 0)
        if self.log is None or guild_id is None or channel_id is None:
            return default
        cached = self._configs.get((guild_id, channel_id))
        if cached is not None:
            return cached
        try:  # bounded: a locked database must not delay the acknowledgement
            config = await asyncio.wait_for(self.log.channel_config(guild_id, channel_id), CONFIG_READ_TIMEOUT)
        except Exception:
            logger.exception("could not read channel settings; using defaults")
            return default
        self._configs[(guild_id, channel_id)] = config
        return config

    async def set_channel_config(self, config: ChannelConfig) -> None:
        """Store a channel's settings and use them at once."""
        if self.log is None:
            raise RuntimeError("no query log: channel settings cannot be stored")
        await self.log.set_channel_config(config)
        self._configs[(config.guild_id, config.channel_id)] = config

    async def timeline(self, topic: str | None, since: str | None, until: str | None, origin: Origin) -> Timeline:
        """Dated events on ``topic`` within [since, until], built in a worker thread and logged as a
        "timeline" question (its first events' sources). Raises ValueError on a malformed bound."""
        engine = self.engine
        started = time.perf_counter()
        result = await self._off_loop(partial(build_timeline, engine, topic=topic, since=since, until=until))
        latency_ms = round((time.perf_counter() - started) * 1000)
        if self.log is None:
            return result
        shown = result.events[:TIMELINE_LOGGED_EVENTS]
        entry = LogEntry(
            interface="timeline",
            question=topic or "(all)",
            answered=bool(result.events),
            reason=None if result.events else "no dated events match",
            sources=tuple(SourceRef(s.doc_id, s.line_start, s.line_end) for e in shown for s in e.sources),
            latency_ms=latency_ms,
            corpus_version=engine.version,
            guild_id=origin.guild_id,
            channel_id=origin.channel_id,
            user_id=origin.user_id,
        )
        try:
            self.log.record(entry)
        except Exception:
            logger.exception("could not queue a query-log row")
        return result

    async def reload(self) -> tuple[str, str]:
        """Rebuild the index from the corpus folder and swap it in; returns (old, new) versions.

        Questions already running keep the engine they started with. A corpus that fails to load
        leaves the current one in place and raises.
        """
        async with self._reload_lock:
            old = self.engine.version
            seen = watch_state(self.settings)
            engine = await build_engine(self.settings, self.cache, previous=self.engine, serving=self.serving)
            self.engine, self._seen = engine, seen
            logger.info("corpus reloaded: %s -> %s (%d documents)", old, engine.version, len(engine.corpus.documents))
            return old, engine.version

    async def watch(self) -> None:
        """Reload when `corpusbot reload` asks, or (with watch_corpus) when the corpus folder changes.

        Changes are judged against the state the current engine was loaded from, so a request made
        while the bot was starting or reloading is not lost.
        """
        while True:
            await asyncio.sleep(WATCH_INTERVAL_SECONDS)
            current = watch_state(self.settings)
            requested = current.request != self._seen.request
            edited = self.settings.watch_corpus and current.corpus != self._seen.corpus
            if not (requested or edited):
                continue
            try:
                await self.reload()
            except Exception:
                self._seen = current  # report a broken folder once, not on every poll
                logger.exception("reload failed; still serving corpus %s", self.engine.version)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
