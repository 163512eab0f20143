"""`corpusbot db copy`: move the log from one database to another (typically SQLite → PostgreSQL).

Idempotent: every row is keyed by what identifies it (a question's ``answer_id``, a vote's answer and
user, a channel's guild and id), so running the copy again adds only what is new, and a channel's
settings are replaced only by newer ones. Afterwards every source key is looked up in the destination
and the counts are reported; a key missing there fails the copy. Question ids are the destination's
own; rows are inserted in source order so ``id`` keeps ordering rows of the same instant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from bot.store import channels, questions

logger = logging.getLogger(__name__)

BATCH_ROWS = 1_000


class Connection(Protocol):
    """What the copy needs of a backend connection (both backends have it)."""

    async def query(self, sql: str, params: Any = ()) -> list[Any]:
        """Every row of one read."""
        ...

    def transaction(self) -> Any:
        """An async context manager yielding a session with ``executemany``."""
        ...


@dataclass(frozen=True, slots=True)
class Table:
    """How one table is copied: its identifying key, its columns, its order and what a repeat does."""

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    order: str  # source order, with a unique last column so paging is exact
    on_conflict: str

    def insert_sql(self) -> str:
        """The idempotent INSERT (``?`` placeholders, both dialects)."""
        marks = ", ".join("?" for _ in self.columns)
        return (
            f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({marks})"
            f" ON CONFLICT ({', '.join(self.key)}) {self.on_conflict}"
        )


TABLES = (
    Table(
        "queries",
        key=("answer_id",),
        columns=questions.COLUMNS,
        order="id",
        on_conflict="DO NOTHING",
    ),
    Table(
        "votes",
        key=("answer_id", "user_id"),
        columns=("answer_id", "user_id", "vote", "ts"),
        order="answer_id, user_id",
        on_conflict="DO NOTHING",
    ),
    Table(
        "channel_config",
        key=("guild_id", "channel_id"),
        columns=channels.COLUMNS,
        order="guild_id, channel_id",
        on_conflict=(f"DO UPDATE SET {channels.UPDATE_SET} WHERE excluded.updated_at > channel_config.updated_at"),
    ),
)


@dataclass(frozen=True, slots=True)
class TableReport:
    """Counts of one table after a copy, and how many source keys the destination lacks."""

    table: str
    source: int
    destination_before: int
    destination_after: int
    missing: int

    @property
    def added(self) -> int:
        """Rows this copy added to the destination."""
        return self.destination_after - self.destination_before

    def __str__(self) -> str:
        verdict = "all present" if not self.missing else f"{self.missing} MISSING"
        return (
            f"{self.table:<15} source {self.source:>8} · destination {self.destination_before:>8} → "
            f"{self.destination_after:>8} (+{self.added}) · {verdict}"
        )


async def _count(conn: Connection, table: str) -> int:
    return int((await conn.query(f"SELECT COUNT(*) FROM {table}"))[0][0])


async def _keys(conn: Connection, table: Table) -> set[tuple[object, ...]]:
    rows = await conn.query(f"SELECT {', '.join(table.key)} FROM {table.name}")
    return {tuple(row) for row in rows}


async def _copy_rows(source: Connection, destination: Connection, table: Table) -> None:
    """Page through the source (keyset on ``id`` for questions, which can be millions) and insert."""
    columns = ", ".join(table.columns)
    if table.order == "id":
        last = 0
        while True:
            rows = await source.query(
                f"SELECT id, {columns} FROM {table.name} WHERE id > ? ORDER BY id LIMIT ?", (last, BATCH_ROWS)
            )
            if not rows:
                return
            last = rows[-1][0]
            async with destination.transaction() as db:
                await db.executemany(table.insert_sql(), [tuple(row)[1:] for row in rows])
    rows = await source.query(f"SELECT {columns} FROM {table.name} ORDER BY {table.order}")
    for first in range(0, len(rows), BATCH_ROWS):
        async with destination.transaction() as db:
            await db.executemany(table.insert_sql(), [tuple(row) for row in rows[first : first + BATCH_ROWS]])


async def copy_database(source: Connection, destination: Connection) -> list[TableReport]:
    """Copy every table (both connections open and migrated); one report per table, in order."""
    reports = []
    for table in TABLES:
        before = await _count(destination, table.name)
        await _copy_rows(source, destination, table)
        missing = await _keys(source, table) - await _keys(destination, table)
        report = TableReport(
            table.name, await _count(source, table.name), before, await _count(destination, table.name), len(missing)
        )
        logger.info("copied %s", report)
        reports.append(report)
    return reports
