"""The query log: one row per question from every interface, written off the answer's path.

``record()`` only enqueues; a background task writes batches. The log is an audit aid, never a reason
to fail or slow an answer, so write errors are counted and reported once per burst in the process log
instead of being raised, and the next batch starts from a fresh connection so writing resumes as soon
as the database is usable again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from pathlib import Path
from types import TracebackType

from bot.store.models import (
    LogEntry,
    LogFilter,
    LogRow,
    SourceRef,
    from_db_ts,
    lower_bound,
    to_db_ts,
    upper_bound,
)
from bot.store.moderation import ModerationStore, unlogged_channels

logger = logging.getLogger(__name__)

BATCH_SIZE = 500

_INSERT = (
    "INSERT INTO queries (answer_id, ts, guild_id, channel_id, user_id, interface, question, answered,"
    " reason, sources, score, latency_ms, corpus_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (answer_id) DO NOTHING"
)

_SELECT = (
    "SELECT q.*,"
    " (SELECT COUNT(*) FROM votes v WHERE v.answer_id = q.answer_id AND v.vote = 1) AS up,"
    " (SELECT COUNT(*) FROM votes v WHERE v.answer_id = q.answer_id AND v.vote = -1) AS down"
    " FROM queries q"
)


def escape_like(text: str) -> str:
    """Make ``%``, ``_`` and the escape character itself match literally in ``LIKE ... ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(flt: LogFilter) -> tuple[str, list[object]]:
    """Conditions are only ever AND-ed and values only ever bound, so no field can widen another's scope."""
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (
        ("guild_id", flt.guild_id),
        ("channel_id", flt.channel_id),
        ("user_id", flt.user_id),
        ("interface", flt.interface),
    ):
        if value is not None:
            clauses.append(f"q.{column} = ?")
            params.append(value)
    if flt.since is not None:
        clauses.append("q.ts >= ?")
        params.append(lower_bound(flt.since))
    if flt.until is not None:
        bound, inclusive = upper_bound(flt.until)
        clauses.append("q.ts <= ?" if inclusive else "q.ts < ?")
        params.append(bound)
    if flt.unanswered:
        clauses.append("q.answered = 0")
    if flt.text:
        clauses.append("casefold(q.question) LIKE ? ESCAPE '\\'")
        params.append(f"%{escape_like(flt.text.casefold())}%")
    return " AND ".join(clauses) or "1", params


def _entry_params(entry: LogEntry, unlogged: set[tuple[int, int]]) -> tuple[object, ...]:
    hidden = (entry.guild_id, entry.channel_id) in unlogged
    sources = [[s.doc_id, s.line_start, s.line_end] for s in entry.sources]
    return (
        entry.answer_id,
        to_db_ts(entry.ts),
        entry.guild_id,
        entry.channel_id,
        None if hidden else entry.user_id,
        entry.interface,
        None if hidden else entry.question,
        int(entry.answered),
        entry.reason,
        json.dumps(sources),
        entry.score,
        int(entry.latency_ms),
        entry.corpus_version,
    )


def _log_row(row: sqlite3.Row) -> LogRow:
    return LogRow(
        id=row["id"],
        answer_id=row["answer_id"],
        ts=from_db_ts(row["ts"]),
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        user_id=row["user_id"],
        interface=row["interface"],
        question=row["question"],
        answered=bool(row["answered"]),
        reason=row["reason"],
        sources=tuple(SourceRef(doc, start, end) for doc, start, end in json.loads(row["sources"])),
        score=row["score"],
        latency_ms=row["latency_ms"],
        corpus_version=row["corpus_version"],
        votes_up=row["up"],
        votes_down=row["down"],
    )


class QueryLog(ModerationStore):
    """Create with ``await QueryLog.open(path)``; ``close()`` on shutdown so queued rows are written."""

    def __init__(self, path: Path, *, busy_timeout: float = 5.0, queue_size: int = 10_000) -> None:
        super().__init__(path, busy_timeout=busy_timeout)
        self._queue: asyncio.Queue[LogEntry | asyncio.Future[None]] = asyncio.Queue(queue_size)
        self._writer: asyncio.Task[None] | None = None
        self._closed = False
        self._failing = False
        self.written = 0
        self.failed_writes = 0

    @classmethod
    async def open(cls, path: Path | str, *, busy_timeout: float = 5.0, queue_size: int = 10_000) -> QueryLog:
        """Create folders and schema, then start the writer. Raises if the database cannot be opened,
        so a misconfigured path is caught at startup rather than as a stream of failed writes."""
        log = cls(Path(path), busy_timeout=busy_timeout, queue_size=queue_size)
        await log._connect()
        log._writer = asyncio.create_task(log._write_forever(), name="querylog-writer")
        return log

    async def __aenter__(self) -> QueryLog:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def record(self, entry: LogEntry) -> None:
        """Queue one question for writing; never blocks, never raises. Call it on the event loop thread."""
        if self._closed:
            self._fail(1, "query log is closed; dropped the row of answer %s", entry.answer_id)
            return
        try:
            self._queue.put_nowait(entry)
        except asyncio.QueueFull:
            self._fail(1, "query log queue is full (database too slow?); dropped answer %s", entry.answer_id)

    async def flush(self) -> None:
        """Wait until every row queued before this call is written or has failed."""
        if self._writer is None or self._writer.done():
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put(done)
        await done

    async def close(self) -> None:
        """Flush, stop the writer and close the database; later ``record()`` calls count as failures."""
        if self._closed:
            return
        self._closed = True
        await self.flush()
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        await self._reset()

    async def fetch(self, flt: LogFilter | None = None) -> list[LogRow]:
        """Rows matching ``flt``, newest first unless ``oldest_first``. Rows still queued are not seen:
        ``flush()`` first when that matters."""
        flt = flt or LogFilter()
        where, params = where_clause(flt)
        order = "ASC" if flt.oldest_first else "DESC"
        sql = f"{_SELECT} WHERE {where} ORDER BY q.ts {order}, q.id {order} LIMIT ? OFFSET ?"
        rows = await self._query(sql, [*params, -1 if flt.limit is None else flt.limit, flt.offset])
        return [_log_row(row) for row in rows]

    async def count(self, flt: LogFilter | None = None) -> int:
        """How many rows match ``flt`` regardless of its limit and offset."""
        where, params = where_clause(flt or LogFilter())
        return int((await self._query(f"SELECT COUNT(*) FROM queries q WHERE {where}", params))[0][0])

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
            async with self._transaction() as db:
                unlogged = await unlogged_channels(db)
                await db.executemany(_INSERT, [_entry_params(entry, unlogged) for entry in entries])
        except Exception:
            self._fail(
                len(entries),
                "could not write %d query log rows to %s; further failures are counted, not logged",
                len(entries),
                self.path,
                exc_info=True,
            )
            await self._reset()
            return
        self.written += len(entries)
        if self._failing:
            self._failing = False
            logger.warning("query log writes resumed; %d rows lost so far", self.failed_writes)
