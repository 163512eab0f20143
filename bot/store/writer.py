"""Question rows written off the answer's path: ``record()`` only enqueues, a background task writes batches.

The log is an audit aid, never a reason to fail or slow an answer, so write errors are counted and
reported once per burst in the process log instead of being raised, and the next batch starts from a
fresh connection so writing resumes as soon as the database is usable again. Entries arrive already
decided (the services drop question text and author where a channel opted out): the writer stores
them as they are and reads nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.records import LogEntry
from bot.store.backends.interface import StoreConnection
from bot.store.questions import Questions

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class BatchWriter:
    """A bounded queue of entries and the task that drains it in transactions of up to ``BATCH_SIZE``."""

    def __init__(self, connection: StoreConnection, queue_size: int = 10_000) -> None:
        self._connection = connection
        self._queue: asyncio.Queue[LogEntry | asyncio.Future[None]] = asyncio.Queue(queue_size)
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._failing = False
        self.written = 0
        self.failed_writes = 0

    def start(self) -> None:
        """Start draining the queue (on the running event loop)."""
        self._task = asyncio.create_task(self._write_forever(), name="question-writer")

    def record(self, entry: LogEntry) -> None:
        """Queue one question for writing; never blocks, never raises. Call it on the event loop thread."""
        if self._closed:
            self._fail(1, "question log is closed; dropped the row of answer %s", entry.answer_id)
            return
        try:
            self._queue.put_nowait(entry)
        except asyncio.QueueFull:
            self._fail(1, "question log queue is full (database too slow?); dropped answer %s", entry.answer_id)

    async def flush(self) -> None:
        """Wait until every row queued before this call is written or has failed."""
        if self._task is None or self._task.done():
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put(done)
        await done

    async def close(self) -> None:
        """Flush and stop; later ``record()`` calls count as failures."""
        if self._closed:
            return
        self._closed = True
        await self.flush()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _fail(self, count: int, message: str, *args: object, exc_info: bool = False) -> None:
        """Count lost rows; log only the first failure of a burst so a dead disk cannot flood the log."""
        self.failed_writes += count
        if not self._failing:
            self._failing = True
            logger.error(message, *args, exc_info=exc_info)

    async def _write_forever(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < BATCH_SIZE and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            entries = [item for item in batch if isinstance(item, LogEntry)]
            if entries:
                await self._write(entries)
            for item in batch:
                if isinstance(item, asyncio.Future) and not item.done():
                    item.set_result(None)

    async def _write(self, entries: list[LogEntry]) -> None:
        try:
            async with self._connection.transaction() as db:
                await Questions.insert(db, entries)
        except Exception:
            self._fail(
                len(entries),
                "could not write %d question rows to %s; further failures are counted, not logged",
                len(entries),
                self._connection,
                exc_info=True,
            )
            await self._connection.reset()
            return
        self.written += len(entries)
        if self._failing:
            self._failing = False
            logger.warning("question log writes resumed; %d rows lost so far", self.failed_writes)
