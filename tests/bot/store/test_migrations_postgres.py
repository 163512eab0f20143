"""PostgreSQL's migrations: the same numbered history as SQLite's, recorded, atomic, safe to race."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from bot.records import LogFilter
from bot.store import MIGRATIONS, Database
from bot.store.backends.postgres_schema import MIGRATIONS as PG_MIGRATIONS
from bot.store.backends.postgres_schema import apply_migrations


def test_both_dialects_have_the_same_numbered_migrations() -> None:
    assert [(v, n) for v, n, _ in PG_MIGRATIONS] == [(v, n) for v, n, _ in MIGRATIONS]


async def recorded(url: str) -> list[tuple[int, str]]:
    conn = await asyncpg.connect(url)
    try:
        return [tuple(r) for r in await conn.fetch("SELECT version, name FROM schema_migrations ORDER BY version")]
    finally:
        await conn.close()


async def test_open_records_every_migration_once_and_reopening_applies_nothing(postgres_url: str) -> None:
    async with await Database.open(postgres_url) as database:
        assert database.connection.applied_now == [v for v, _, _ in PG_MIGRATIONS]
    async with await Database.open(postgres_url) as database:
        assert database.connection.applied_now == []
        assert await database.connection.schema_versions() == [v for v, _, _ in PG_MIGRATIONS]
    assert await recorded(postgres_url) == [(v, n) for v, n, _ in PG_MIGRATIONS]


async def test_processes_starting_together_migrate_once(postgres_url: str) -> None:
    """Shards start at the same moment; the advisory lock lets exactly one of them create each table."""
    databases = await asyncio.gather(*(Database.open(postgres_url) for _ in range(4)))
    try:
        applied = sorted(v for database in databases for v in database.connection.applied_now)
        assert applied == [v for v, _, _ in PG_MIGRATIONS]
    finally:
        await asyncio.gather(*(database.close() for database in databases))


async def test_a_failing_migration_is_rolled_back_entirely(postgres_url: str) -> None:
    broken = [*PG_MIGRATIONS[:1], (2, "broken", "CREATE TABLE half_done (x INTEGER); SELEC nonsense;")]
    conn = await asyncpg.connect(postgres_url)
    try:
        with pytest.raises(asyncpg.PostgresSyntaxError):
            await apply_migrations(conn, broken)
        assert await conn.fetchval("SELECT to_regclass('half_done')") is None
    finally:
        await conn.close()
    assert [v for v, _ in await recorded(postgres_url)] == [1]


async def test_upgrade_from_version_1_keeps_rows(postgres_url: str) -> None:
    conn = await asyncpg.connect(postgres_url)
    try:
        assert await apply_migrations(conn, PG_MIGRATIONS[:1]) == [1]
        await conn.execute(
            "INSERT INTO queries (answer_id, ts, guild_id, channel_id, user_id, interface, question,"
            " answered, reason, sources, score, latency_ms, corpus_version)"
            " VALUES ('old', '2024-01-02T03:04:05.000000Z', 1, 2, 3, 'cli', 'old question', 0,"
            " 'no_match', '[]', NULL, 9, 'v0')"
        )
    finally:
        await conn.close()
    async with await Database.open(postgres_url) as database:
        assert database.connection.applied_now == [v for v, _, _ in PG_MIGRATIONS if v > 1]
        assert await database.votes.cast("old", 5, up=True) == (1, 0)
        (row,) = await database.questions.fetch(LogFilter(guild_id=1))
        assert (row.answer_id, row.question, row.votes_up) == ("old", "old question", 1)
