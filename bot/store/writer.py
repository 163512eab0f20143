"""Question rows made durable before the answer is sent, then copied into the database off its path.

``record()`` queues a row and returns a future that completes once the row is in the journal on disk
(one fsync per group of rows, so a burst costs a few fsyncs, not one per question); the caller sends
its answer after that. A background task copies journal rows into the database in transactions and
releases the journal behind them. The database may be locked, full or gone for a while: the rows
wait in the journal and the copy is retried with backoff, so nothing is lost and nothing blocks an
answer. A row the database refuses on its own (not a transient failure) is set aside and counted,
without losing the rows around it. Memory is bounded: past ``pending_limit`` rows waiting for the
journal, or past the journal's own bound, new rows are dropped, counted, and reported.

The writer knows only a `RowSink` (insert rows; tell a transient error from a bad row), so the same
journal sits in front of any database backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.records import LogEntry
from bot.store.journal import MemoryJournal, RowQueue, decode, encode, open_journal, sanitised

logger = logging.getLogger(__name__)
T = TypeVar("T")

PENDING_LIMIT = 10_000
RETRY_FIRST, RETRY_MAX = 0.1, 5.0  # seconds between attempts while the database refuses writes


class RowSink(Protocol):
    """The database side of the writer."""

    async def insert_rows(self, entries: list[LogEntry]) -> None:
        """Store ``entries`` in one transaction (answer ids already stored are skipped); raise on failure."""

    def transient(self, error: BaseException) -> bool:
        """True when ``error`` says the database is unavailable (retry later), not that a row is bad."""


class BatchWriter:
    """Journal first, database second; counts rows it could not keep (``dropped``)."""

    def __init__(self, sink: RowSink, journal_path: Path | None, *, pending_limit: int = PENDING_LIMIT) -> None:
        self._sink = sink
        self._journal_path = journal_path
        self._journal: RowQueue = MemoryJournal()
        self._files = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._pending: list[tuple[bytes, asyncio.Future[None]]] = []
        self._committing: list[asyncio.Future[None]] = []
        self._pending_limit = pending_limit
        self._wake_commit = asyncio.Event()
        self._wake_drain = asyncio.Event()
        self._offset = 0
        self._journaled = 0  # rows appended to the journal (or left in it by the last run)
        self._drained = 0  # rows taken out of it: stored, or refused by the database
        self._tasks: list[asyncio.Task[None]] = []
        self._closed = False
        self._failing = False
        self._unavailable = False
        self.failed_attempts = 0
        self.written = 0
        self.dropped = 0

    @property
    def failed_writes(self) -> int:
        """Rows that will never reach the database (the name older callers know)."""
        return self.dropped

    async def _in_files(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._files, function, *args)

    async def start(self) -> None:
        """Open the journal (rows a crash left in it are copied in first), then start both tasks."""
        if self._journal_path is not None:
            self._journal = await self._in_files(open_journal, self._journal_path)
        self._journaled = self._journal.rows_at_open
        self._tasks = [
            asyncio.create_task(self._commit_forever(), name="journal-commit"),
            asyncio.create_task(self._drain_forever(), name="journal-drain"),
        ]
        self._wake_drain.set()  # replay whatever the last run left

    @property
    def started(self) -> bool:
        """Whether the journal is open and the tasks run (a database that never opened has neither)."""
        return bool(self._tasks)

    def record(self, entry: LogEntry) -> asyncio.Future[None]:
        """Queue one row; the future completes when it is durable (or was dropped). Never raises."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._closed or not self._tasks or len(self._pending) >= self._pending_limit:
            why = "closed" if self._closed else "not open" if not self._tasks else "too many rows wait for the journal"
            self._drop(1, why)
            done.set_result(None)
            return done
        try:
            line = encode(sanitised(entry))
        except Exception:
            logger.exception("could not encode the row of answer %s", entry.answer_id)
            self._drop(1, "unencodable row")
            done.set_result(None)
            return done
        self._pending.append((line, done))
        self._wake_commit.set()
        return done

    def _drop(self, count: int, why: str) -> None:
        """Count rows lost for good; the first loss of a burst is logged with the total so far."""
        self.dropped += count
        if not self._failing:
            self._failing = True
            logger.error("question log dropped %d rows (%s); %d dropped since start", count, why, self.dropped)

    async def _commit_forever(self) -> None:
        while True:
            await self._wake_commit.wait()
            self._wake_commit.clear()
            group, self._pending = self._pending, []
            if not group:
                continue
            self._committing = [future for _, future in group]
            try:
                await self._in_files(self._journal.append, [line for line, _ in group])
            except Exception as error:  # full journal, disk error: the answers still go out
                self._drop(len(group), f"journal: {error}")
            else:
                self._journaled += len(group)
                self._wake_drain.set()
            for future in self._committing:
                if not future.done():
                    future.set_result(None)
            self._committing = []

    async def _drain_forever(self) -> None:
        delay = 0.0
        while True:
            if delay:
                await asyncio.sleep(delay)
            else:
                await self._wake_drain.wait()
            self._wake_drain.clear()
            try:
                await self._drain()
            except Exception as error:
                self.failed_attempts += 1
                delay = min(max(delay * 2, RETRY_FIRST), RETRY_MAX)
                if not self._unavailable or self.failed_attempts % 100 == 0:
                    logger.warning("question log: database unavailable (%s); rows wait in the journal", error)
                self._unavailable = True
                continue
            delay = 0.0

    async def _drain(self) -> None:
        """Copy journal rows into the database until none are left."""
        while True:
            lines, end = await self._in_files(self._journal.read, self._offset)
            if not lines:
                return
            self.written += await self._store(_decoded(lines))
            if self._unavailable:
                self._unavailable = False
                logger.warning("question log: database writes resumed after %d failed attempts", self.failed_attempts)
            self._drained += len(lines)
            self._offset = await self._in_files(self._journal.release, end)
            if self._failing and not self._pending:
                self._failing = False

    async def _store(self, entries: list[LogEntry]) -> int:
        """Store ``entries`` in one transaction, or row by row if the database refuses the batch.

        Row by row sets aside (and counting) only the rows it refuses. Returns how many rows were stored.
        """
        try:
            await self._sink.insert_rows(entries)
            return len(entries)
        except Exception as error:
            if self._sink.transient(error) or len(entries) == 1:
                raise
        stored = 0
        for entry in entries:
            try:
                await self._sink.insert_rows([entry])
                stored += 1
            except Exception as error:
                if self._sink.transient(error):
                    raise
                self._drop(1, f"the database refused the row of answer {entry.answer_id}: {error}")
        return stored

    async def flush(self) -> None:
        """Until every row recorded before this call is in the database, or an attempt to write it failed."""
        if not self._tasks or any(task.done() for task in self._tasks):
            return
        failures = self.failed_attempts
        waiting = [future for _, future in self._pending] + self._committing
        self._wake_commit.set()
        await asyncio.gather(*waiting)
        target = self._journaled
        self._wake_drain.set()
        while self._drained < target and self.failed_attempts == failures:
            await asyncio.sleep(0.005)

    async def close(self) -> None:
        """Flush, stop, and close the journal (what the database does not hold yet stays in it)."""
        if self._closed:
            return
        self._closed = True
        await self.flush()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._in_files(self._journal.close)
        self._files.shutdown(wait=True)


def _decoded(lines: list[bytes]) -> list[LogEntry]:
    entries = []
    for line in lines:
        try:
            entries.append(decode(line))
        except (ValueError, KeyError, TypeError):
            logger.error("skipped a damaged journal line (%d bytes)", len(line))
    return entries
