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

from bot.records import utc_now
from bot.store.backends import is_postgres, sqlite_path
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


class Database:
    """Questions, votes, channel settings and statistics over one connection."""

    def __init__(self, target: str | Path, *, busy_timeout: float = 5.0, queue_size: int = 10_000) -> None:
        self.connection: StoreConnection = (
            PostgresConnection(str(target), timeout=busy_timeout)
            if is_postgres(target)
            else Connection(sqlite_path(target), busy_timeout=busy_timeout)
        )
        self.questions = Questions(self.connection)
        self.votes = Votes(self.connection)
        self.channels = ChannelSettings(self.connection)
        self.stats = Statistics(self.connection)
        self.writer = BatchWriter(self.connection, queue_size)

    @property
    def shared(self) -> bool:
        """Whether other processes may use the same database (PostgreSQL)."""
        return isinstance(self.connection, PostgresConnection)

    @classmethod
    async def open(cls, target: Path | str, *, busy_timeout: float = 5.0, queue_size: int = 10_000) -> Database:
        """Create folders and schema, then start the writer.

        Raises if the database cannot be opened, so a misconfigured path is caught at startup rather
        than as a stream of failed writes.
        """
        database = cls(target, busy_timeout=busy_timeout, queue_size=queue_size)
        await database.connection.open()
        database.writer.start()
        return database

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
        logger.info("forgot user %d: %d questions deleted", user_id, deleted)
        return deleted

    async def purge_before(self, before: datetime) -> int:
        """Delete questions (and votes) older than ``before``; returns the number of questions deleted."""
        cutoff = to_db_ts(before)
        async with self.connection.transaction() as db:
            await Votes.delete_before(db, cutoff)
            deleted = await Questions.delete_before(db, cutoff)
        logger.info("purged %d questions older than %s", deleted, cutoff)
        return deleted

    async def purge_older_than(self, days: float) -> int:
        """Retention: keep only the last ``days`` days."""
        if days < 0:
            raise ValueError("days must be >= 0")
        return await self.purge_before(utc_now() - timedelta(days=days))
