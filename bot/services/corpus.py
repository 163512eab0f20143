"""The one code path behind every interface: ask, list sources, reload — each question logged.

Discord handlers and terminal commands both call this; it never imports discord. Retrieval runs in
one dedicated worker thread so the event loop keeps heartbeating and acknowledging interactions:
retrieval is pure Python under the GIL, so more threads would add no throughput, only contention
that stalls the loop (measured with `python -m tests.load_discord`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bot.records import ChannelConfig, Interface, LogEntry, SourceRef, new_answer_id
from bot.services.voters import anonymous_voter
from bot.settings import Settings, bundled_corpus_dir
from bot.store import Database
from retrieval.engine import Engine
from retrieval.models import Answer
from retrieval.timeline.events import Timeline, build_timeline

logger = logging.getLogger(__name__)
T = TypeVar("T")

RELOAD_REQUEST_SUFFIX = ".reload"
REOPEN_FIRST, REOPEN_MAX = 1.0, 60.0  # seconds between attempts to open a database that failed to open
NOT_LOGGED_ANSWERED, NOT_LOGGED_ABSTAINED = "answered", "not answered"  # reasons that quote no user words
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


def load_engine(settings: Settings) -> Engine:
    """Build the engine the settings describe (blocking: call it in a thread from async code)."""
    corpus_dir = Path(settings.corpus_dir)
    # realpath, not resolve(): it never raises, so a broken folder is reported by the loader in words.
    label = "seeds" if os.path.realpath(corpus_dir) == os.path.realpath(bundled_corpus_dir()) else str(corpus_dir)
    return Engine.load(corpus_dir, base_url=settings.source_base_url, label=label)


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

    def __init__(self, settings: Settings, engine: Engine, database: Database | None) -> None:
        self.settings = settings
        self.engine = engine
        self.database = database
        self._reload_lock = asyncio.Lock()
        self._seen = watch_state(settings)  # the state the current engine was loaded from
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="retrieval")
        self._configs: dict[tuple[int, int], ChannelConfig] = {}
        self.storage_problem: str | None = None  # why channel settings are unknown (every channel then fails closed)
        self.dropped_rows = 0  # question rows lost while there was no database at all
        self._reopening: asyncio.Task[None] | None = None

    async def _off_loop(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    @classmethod
    async def start(cls, settings: Settings, *, with_log: bool = True) -> CorpusService:
        """Load the corpus (off the event loop), open the database and read every channel's settings.

        A database that cannot be opened is reported and retried in the background; meanwhile
        answers go on, but every guild channel is treated as off and private (its settings are
        unknown) and moderators are told why.
        """
        seen = watch_state(settings)
        engine = await asyncio.to_thread(load_engine, settings)
        service = cls(settings, engine, None)
        service._seen = seen
        if with_log and not await service._open_database():
            service._reopening = asyncio.create_task(service._reopen_database(), name="database-reopen")
        return service

    async def _open_database(self) -> bool:
        """Open the database and load the channel settings; False (with the reason kept) if either fails."""
        try:
            database = await Database.open(self.settings.database_path)
        except Exception as error:
            problem = f"the database {self.settings.database_path} cannot be opened: {error}"
            if problem != self.storage_problem:  # once per kind of failure, not once per retry
                logger.error(
                    "cannot open the query log at %s (%s); answering without it, retrying in the background",
                    self.settings.database_path,
                    error,
                )
            self.storage_problem = problem
            return False
        try:
            configs = await database.channels.all()
        except Exception as error:
            await database.close()
            self.storage_problem = f"channel settings cannot be read from {self.settings.database_path}: {error}"
            logger.error("%s; every channel stays off and private until they can", self.storage_problem)
            return False
        self._configs = {(config.guild_id, config.channel_id): config for config in configs}
        self.database, self.storage_problem = database, None
        return True

    async def _reopen_database(self) -> None:
        delay = REOPEN_FIRST
        while not await self._open_database():
            await asyncio.sleep(delay)
            delay = min(delay * 2, REOPEN_MAX)
        logger.warning("database opened; question logging and channel settings are back")

    async def close(self) -> None:
        """Flush and close the log (used at shutdown)."""
        if self._reopening is not None:
            self._reopening.cancel()
        if self.database is not None:
            await self.database.close()
        self._worker.shutdown(wait=False, cancel_futures=True)

    async def ask(self, question: str, origin: Origin) -> Served:
        """Answer in a worker thread, then queue the log row (never waits for the disk)."""
        engine = self.engine  # the engine this question started on, whatever a reload does meanwhile
        started = time.perf_counter()
        answer = await self._off_loop(engine.ask, question)
        latency_ms = round((time.perf_counter() - started) * 1000)
        answer_id = new_answer_id()
        await self.record(answer, origin, latency_ms, answer_id)
        logger.info(
            "answered=%s latency_ms=%d interface=%s",
            answer.answered,
            latency_ms,
            origin.interface,
            extra={"guild_id": origin.guild_id, "channel_id": origin.channel_id, "latency_ms": latency_ms},
        )
        return Served(answer, answer_id, latency_ms)

    async def record(self, answer: Answer, origin: Origin, latency_ms: int, answer_id: str | None = None) -> None:
        """Queue the log row of one answer."""
        entry = LogEntry.from_answer(
            answer,
            interface=origin.interface,
            latency_ms=latency_ms,
            guild_id=origin.guild_id,
            channel_id=origin.channel_id,
            user_id=origin.user_id,
            answer_id=answer_id,
        )
        await self._log(entry)

    async def _log(self, entry: LogEntry) -> None:
        """The one place that decides whether and what a question logs; returns once the row is durable.

        In a channel whose moderators turned logging off, the row keeps its counts and sources but
        not the question's text, its author, or a reason that could quote the question. Without a
        database the row is counted as dropped. A failure is reported, never raised: the answer is
        sent whatever happens to its row.
        """
        if self.database is None:
            if self.storage_problem is not None:
                self.dropped_rows += 1
            return
        config = await self.channel_config(entry.guild_id, entry.channel_id)
        if not config.log_questions:
            reason = None if entry.reason is None else NOT_LOGGED_ANSWERED if entry.answered else NOT_LOGGED_ABSTAINED
            entry = replace(entry, question=None, user_id=None, reason=reason)
        try:
            await self.database.writer.record(entry)
        except Exception:
            logger.exception("could not queue a question row")

    @property
    def rows_dropped(self) -> int:
        """Question rows that will never be stored (shown in /stats)."""
        return self.dropped_rows + (self.database.writer.dropped if self.database is not None else 0)

    async def vote(
        self, answer_id: str, user_id: int, up: bool, guild_id: int | None = None, channel_id: int | None = None
    ) -> tuple[int, int] | None:
        """Store one user's vote on an answer (a second vote replaces the first); None if it could not be
        stored. Where logging is off, the voter is stored as an anonymous id that no user id leads to."""
        if self.database is None:
            return None
        config = await self.channel_config(guild_id, channel_id)
        voter = user_id if config.log_questions else anonymous_voter(answer_id, user_id)
        try:
            return await self.database.votes.cast(answer_id, voter, up)
        except Exception:
            logger.exception("could not store a feedback vote")
            return None

    async def channel_config(self, guild_id: int | None, channel_id: int | None) -> ChannelConfig:
        """The moderators' settings for a channel, from memory: all are read at start and kept current
        by `set_channel_config`, so no read ever sits before an acknowledgement.

        Defaults outside guilds (DMs) and when the service runs without a database on purpose. When
        the settings cannot be known (the database failed), a guild channel fails closed: off,
        private, not logged — never the defaults, which could expose what moderators turned off.
        """
        default = ChannelConfig(guild_id or 0, channel_id or 0)
        if guild_id is None or channel_id is None:
            return default
        if self.storage_problem is not None:
            return ChannelConfig(guild_id, channel_id, enabled=False, log_questions=False, private_by_default=True)
        return self._configs.get((guild_id, channel_id), default)

    async def set_channel_config(self, config: ChannelConfig) -> None:
        """Store a channel's settings and use them at once."""
        if self.database is None:
            raise RuntimeError(self.storage_problem or "no database: channel settings cannot be stored")
        await self.database.channels.set(config)
        self._configs[(config.guild_id, config.channel_id)] = config

    async def timeline(self, topic: str | None, since: str | None, until: str | None, origin: Origin) -> Timeline:
        """Dated events on ``topic`` within [since, until], built in a worker thread and logged as a
        "timeline" question (its first events' sources). Raises ValueError on a malformed bound."""
        engine = self.engine
        started = time.perf_counter()
        result = await self._off_loop(partial(build_timeline, engine, topic=topic, since=since, until=until))
        latency_ms = round((time.perf_counter() - started) * 1000)
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
        await self._log(entry)
        return result

    async def reload(self) -> tuple[str, str]:
        """Rebuild the index from the corpus folder and swap it in; returns (old, new) versions.

        Questions already running keep the engine they started with. A corpus that fails to load
        leaves the current one in place and raises.
        """
        async with self._reload_lock:
            old = self.engine.version
            seen = watch_state(self.settings)
            engine = await asyncio.to_thread(load_engine, self.settings)
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
