"""The database: one SQLite connection and the per-table modules composed on it.

Create with ``await Database.open(target)`` (a SQLite path, ``sqlite:///PATH`` or ``postgresql://…``)
and ``close()`` on shutdown so queued rows are written.
Reads and single-table writes go through the table attributes (``db.questions.fetch(...)``,
``db.votes.cast(...)``, ``db.channels.set(...)``, ``db.stats.of_guild(...)``); question rows are queued
through ``db.writer``. Erasure and retention span two tables, so they live here, in one transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from bot.records import LogEntry, utc_now
from bot.store.backends import describe, is_postgres, sqlite_path
from bot.store.backends.interface import StoreConnection
from bot.store.backends.postgres import PostgresConnection
from bot.store.channels import ChannelSettings
from bot.store.connection import Connection
from bot.store.questions import Questions
from bot.store.stats import Statistics
from bot.store.timestamps import to_db_ts
from bot.store.votes import Votes
from bot.store.writer import BatchWriter

logger = logging.getLogger(__name__)

JOURNAL_SUFFIX = ".journal"


class Database:
    """Questions, votes, channel settings and statistics over one connection."""

    def __init__(
        self,
        target: str | Path,
        *,
        busy_timeout: float = 5.0,
        queue_size: int = 10_000,
        journal: bool | Path = True,
    ) -> None:
        """``journal``: a path for the journal file, True for the default, False to queue rows in memory.

        The default journal of a SQLite database sits next to its file; a PostgreSQL server has no
        local file, so without a path its rows wait in memory (the bot passes one, see `Services`).
        """
        self.target = target
        self.connection: StoreConnection = (
            PostgresConnection(str(target), timeout=busy_timeout)
            if is_postgres(target)
            else Connection(sqlite_path(target), busy_timeout=busy_timeout)
        )
        self.questions = Questions(self.connection)
        self.votes = Votes(self.connection)
        self.channels = ChannelSettings(self.connection)
        self.stats = Statistics(self.connection)
        self.writer = BatchWriter(self, self._journal_path(journal), pending_limit=queue_size)

    def _journal_path(self, journal: bool | Path) -> Path | None:
        if isinstance(journal, Path):
            return journal
        if journal and isinstance(self.connection, Connection):
            return self.connection.path.with_name(self.connection.path.name + JOURNAL_SUFFIX)
        return None

    @property
    def shared(self) -> bool:
        """Whether other processes may use the same database (PostgreSQL)."""
        return isinstance(self.connection, PostgresConnection)

    @property
    def name(self) -> str:
        """The database for messages: the SQLite path, or the URL without its password."""
        return describe(self.target)

    @classmethod
    async def open(
        cls,
        target: Path | str,
        *,
        busy_timeout: float = 5.0,
        queue_size: int = 10_000,
        journal: bool | Path = True,
    ) -> Database:
        """Create folders and schema, then start the writer.

        Raises if the database cannot be opened, so a misconfigured path is caught at startup rather
        than as a stream of failed writes.
        """
        database = cls(target, busy_timeout=busy_timeout, queue_size=queue_size, journal=journal)
        await database.start()
        return database

    async def start(self) -> None:
        """Start the writer, then open the connection (again after a failure: what already started stays).

        The writer comes first: its journal keeps every row while the database cannot be opened (a
        PostgreSQL server still down when the bot starts), and copies them in once it can.
        """
        if not self.writer.started:
            await self.writer.start()
        await self.connection.open()

    async def insert_rows(self, entries: list[LogEntry]) -> None:
        """The writer's sink: one transaction; the connection is reset after a failure that may be its own.

        SQLite's single connection is cheap to reopen and some of its failures (a closed handle) look like
        bad statements, so it is reset after any; a PostgreSQL pool is reset only when the server is the
        problem, since a refused row leaves its pooled connection clean (and closing the pool would wait
        for every other query in flight).
        """
        try:
            async with self.connection.transaction() as db:
                await Questions.insert(db, entries)
        except Exception as error:
            if isinstance(self.connection, Connection) or self.transient(error):
                await self.connection.reset()
            raise

    def transient(self, error: BaseException) -> bool:
        """Unavailable (locked, busy, unreachable, failing disk), as the backend tells: the database, not the row."""
        return self.connection.transient(error)

    async def _erase_leftovers(self) -> None:
        """SQLite keeps erased rows in free pages and its WAL until a checkpoint; PostgreSQL has no local file."""
        if isinstance(self.connection, Connection):
            await self.connection.erase_leftovers()

    async def close(self) -> None:
        """Write what is queued, stop the writer and close the connection."""
        await self.writer.close()
        await self.connection.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def forget_user(self, user_id: int) -> int:
        """Erase a user's questions in every guild, their votes, and the votes on their answers.

        Questions still queued are written first, so none survives the erasure. Returns the number of
        questions deleted.
        """
        await self.writer.flush()
        async with self.connection.transaction() as db:
            await Votes.delete_of_user(db, user_id)
            deleted = await Questions.delete_of_user(db, user_id)
        await self._erase_leftovers()
        logger.info("forgot user %d: %d questions deleted", user_id, deleted)
        return deleted

    async def purge_before(self, before: datetime) -> int:
        """Delete questions (and votes) older than ``before``; returns the number of questions deleted."""
        cutoff = to_db_ts(before)
        async with self.connection.transaction() as db:
            await Votes.delete_before(db, cutoff)
            deleted = await Questions.delete_before(db, cutoff)
        await self._erase_leftovers()
        logger.info("purged %d questions older than %s", deleted, cutoff)
        return deleted

    async def purge_older_than(self, days: float) -> int:
        """Retention: keep only the last ``days`` days."""
        if days < 0:
            raise ValueError("days must be >= 0")
        return await self.purge_before(utc_now() - timedelta(days=days))
