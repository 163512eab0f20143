"""The ``queries`` table: one row per question, read back through filters that can only narrow.

Conditions are only ever AND-ed and values only ever bound, so no filter field can widen another's
scope (a guild's moderators never see another guild's rows).
"""

from __future__ import annotations

import json
import logging
import sqlite3

from bot.records import LogEntry, LogFilter, LogRow, SourceRef
from bot.store.backends.interface import Session, StoreConnection
from bot.store.timestamps import from_db_ts, lower_bound, to_db_ts, upper_bound

logger = logging.getLogger(__name__)

# The columns a row is written with (``id`` is the table's own); `corpusbot db copy` copies the same ones.
COLUMNS = (
    "answer_id",
    "ts",
    "guild_id",
    "channel_id",
    "user_id",
    "interface",
    "question",
    "answered",
    "reason",
    "sources",
    "score",
    "latency_ms",
    "corpus_version",
)
_INSERT = (
    f"INSERT INTO queries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
    " ON CONFLICT (answer_id) DO NOTHING"
)

_SELECT = (
    "SELECT q.*,"
    " (SELECT COUNT(*) FROM votes v WHERE v.answer_id = q.answer_id AND v.vote = 1) AS up,"
    " (SELECT COUNT(*) FROM votes v WHERE v.answer_id = q.answer_id AND v.vote = -1) AS down"
    " FROM queries q"
)


def escape_like(text: str) -> str:
    r"""Make ``%``, ``_`` and the escape character itself match literally in ``LIKE ... ESCAPE '\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(flt: LogFilter) -> tuple[str, list[object]]:
    """The SQL condition and parameters of ``flt`` (table alias ``q``)."""
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
    return " AND ".join(clauses) or "1 = 1", params


def _entry_params(entry: LogEntry) -> tuple[object, ...]:
    sources = [[s.doc_id, s.line_start, s.line_end] for s in entry.sources]
    return (
        entry.answer_id,
        to_db_ts(entry.ts),
        entry.guild_id,
        entry.channel_id,
        entry.user_id,
        entry.interface,
        entry.question,
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


class Questions:
    """Reads and writes of the questions table; writes run inside a caller's transaction."""

    def __init__(self, connection: StoreConnection) -> None:
        self._connection = connection

    @staticmethod
    async def insert(db: Session, entries: list[LogEntry]) -> None:
        """Store entries exactly as given (a repeated answer id keeps the first row)."""
        await db.executemany(_INSERT, [_entry_params(entry) for entry in entries])

    async def fetch(self, flt: LogFilter | None = None) -> list[LogRow]:
        """Rows matching ``flt``, newest first unless ``oldest_first``.

        Rows still queued in the writer are not seen: flush it first when that matters.
        """
        flt = flt or LogFilter()
        where, params = where_clause(flt)
        order = "ASC" if flt.oldest_first else "DESC"
        sql = f"{_SELECT} WHERE {where} ORDER BY q.ts {order}, q.id {order} LIMIT ? OFFSET ?"
        limit = self._connection.dialect.no_limit if flt.limit is None else flt.limit
        rows = await self._connection.query(sql, [*params, limit, flt.offset])
        return [_log_row(row) for row in rows]

    async def count(self, flt: LogFilter | None = None) -> int:
        """How many rows match ``flt`` regardless of its limit and offset."""
        where, params = where_clause(flt or LogFilter())
        return int((await self._connection.query(f"SELECT COUNT(*) FROM queries q WHERE {where}", params))[0][0])

    @staticmethod
    async def delete_of_user(db: Session, user_id: int) -> int:
        """Delete one user's questions in every guild; returns how many."""
        cursor = await db.execute("DELETE FROM queries WHERE user_id = ?", (user_id,))
        return cursor.rowcount

    @staticmethod
    async def delete_before(db: Session, cutoff: str) -> int:
        """Delete questions stored before ``cutoff`` (a stored timestamp); returns how many."""
        cursor = await db.execute("DELETE FROM queries WHERE ts < ?", (cutoff,))
        return cursor.rowcount
