"""The one SQLite connection behind the database: opening, re-opening after failures, serialised access.

A single connection guarded by a lock keeps transactions from interleaving (aiosqlite runs every call
on one thread, but two coroutines could still mix their BEGIN/COMMIT). The file's identity is checked
before each use, so a database that was deleted, moved or replaced is re-created instead of silently
writing into an unlinked inode.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import aiosqlite

from bot.store.backends.dialect import SQLITE, Dialect
from bot.store.migrations import apply_migrations

logger = logging.getLogger(__name__)


def casefold(text: str | None) -> str | None:
    """SQLite's LIKE and lower() only fold ASCII; questions are not all ASCII."""
    return None if text is None else text.casefold()


def normalise_question(text: str | None) -> str | None:
    """Fold case, whitespace and trailing punctuation so repeats of one question count together."""
    if text is None:
        return None
    return " ".join(text.casefold().split()).rstrip("?!. ")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class Connection:
    """The shared connection every table module goes through; opened once by `Database`."""

    dialect: Dialect = SQLITE

    def __init__(self, path: Path, *, busy_timeout: float) -> None:
        self.path = path
        self.applied_now: list[int] = []  # migrations applied when this process opened the file
        self._busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> aiosqlite.Connection:
        """Open (creating folders and schema as needed); raises if the path cannot hold a database."""
        await self._disconnect()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None, timeout=self._busy_timeout)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            # Erased questions (forget_user, purges) are overwritten on disk, not just unlinked from the tree.
            await conn.execute("PRAGMA secure_delete=ON")
            await conn.create_function("casefold", 1, casefold, deterministic=True)
            await conn.create_function("normalise_question", 1, normalise_question, deterministic=True)
            self.applied_now = await apply_migrations(conn)
        except BaseException:
            await conn.close()
            raise
        self._db = conn
        self._identity = _identity(self.path)
        return conn

    def __str__(self) -> str:
        return str(self.path)

    async def _disconnect(self) -> None:
        """Drop the connection, tolerating one that is already broken."""
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(Exception):
                await db.close()

    async def _connection(self) -> aiosqlite.Connection:
        """The live connection, re-opened if it was dropped or the file is no longer the one we opened."""
        if self._db is None or _identity(self.path) != self._identity:
            if self._db is not None:
                logger.warning("database file %s was moved or replaced; re-opening it", self.path)
            return await self.open()
        return self._db

    async def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Run one read under the lock and return every row."""
        async with self._lock:
            db = await self._connection()
            async with db.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; rolled back (and the error re-raised) if anything in it fails."""
        async with self._lock:
            db = await self._connection()
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                await db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    await db.execute("ROLLBACK")
                raise

    async def close(self) -> None:
        """Close for good (the SQLite connection re-opens on demand, so this is a reset)."""
        await self.reset()

    async def reset(self) -> None:
        """Forget the connection after a failure so the next operation starts from a fresh one."""
        async with self._lock:
            await self._disconnect()

    async def journal_mode(self) -> str:
        """SQLite's journal mode (``wal`` once opened)."""
        rows = await self.query("PRAGMA journal_mode")
        return str(rows[0][0])

    async def schema_versions(self) -> list[int]:
        """The migrations recorded in the database, oldest first."""
        rows = await self.query("SELECT version FROM schema_migrations ORDER BY version")
        return [row[0] for row in rows]
