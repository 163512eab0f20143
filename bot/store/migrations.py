"""Numbered schema migrations, recorded in the database so upgrades are explicit and repeatable.

Each migration runs in its own transaction together with the row that records it, so a crash leaves
the database either before or after a migration, never half-way. Never edit a released migration:
append a new one.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Sequence

import aiosqlite

from bot.records import utc_now
from bot.store.timestamps import to_db_ts

logger = logging.getLogger(__name__)

Migration = tuple[int, str, str]

MIGRATIONS: list[Migration] = [
    (
        1,
        "query log",
        """
        CREATE TABLE queries (
            id INTEGER PRIMARY KEY,
            answer_id TEXT NOT NULL UNIQUE,
            ts TEXT NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            user_id INTEGER,
            interface TEXT NOT NULL,
            question TEXT,
            answered INTEGER NOT NULL,
            reason TEXT,
            sources TEXT NOT NULL DEFAULT '[]',
            score REAL,
            latency_ms INTEGER NOT NULL,
            corpus_version TEXT NOT NULL
        );
        CREATE INDEX queries_guild_ts ON queries (guild_id, ts);
        CREATE INDEX queries_user ON queries (user_id);
        CREATE INDEX queries_ts ON queries (ts);
        """,
    ),
    (
        2,
        "feedback votes",
        """
        CREATE TABLE votes (
            answer_id TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            ts TEXT NOT NULL,
            PRIMARY KEY (answer_id, user_id)
        );
        CREATE INDEX votes_user ON votes (user_id);
        """,
    ),
    (
        3,
        "channel config",
        """
        CREATE TABLE channel_config (
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            log_questions INTEGER NOT NULL DEFAULT 1,
            private_by_default INTEGER,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (guild_id, channel_id)
        );
        """,
    ),
    (
        4,
        "threads and forums",
        """
        ALTER TABLE channel_config ADD COLUMN threads INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE channel_config ADD COLUMN forum INTEGER NOT NULL DEFAULT 0;
        """,
    ),
]


def split_statements(script: str) -> list[str]:
    """Split on statement ends as SQLite sees them (not on every ';'), so the script can run in a transaction.

    ``executescript`` would be simpler but commits first, which would break the one-transaction guarantee.
    """
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")
    return statements


async def applied_versions(conn: aiosqlite.Connection) -> set[int]:
    """The migrations already recorded (creating the record table on a new database)."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    async with conn.execute("SELECT version FROM schema_migrations") as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def apply_migrations(conn: aiosqlite.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the missing migrations in order; return the versions applied now (empty when up to date).

    Expects an autocommit connection (``isolation_level=None``) so the explicit BEGIN/COMMIT are ours.
    """
    applied_now: list[int] = []
    for version, name, script in sorted(migrations):
        if version in await applied_versions(conn):
            continue
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            async with conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)) as cur:
                if await cur.fetchone() is not None:
                    await conn.execute("ROLLBACK")
                    continue
            for statement in split_statements(script):
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, to_db_ts(utc_now())),
            )
            await conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                await conn.execute("ROLLBACK")
            raise
        logger.info("applied database migration %d (%s)", version, name)
        applied_now.append(version)
    return applied_now
