"""Schema migrations: recorded, idempotent, atomic, and able to upgrade an old database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from bot.records import LogFilter
from bot.store import MIGRATIONS, Database, apply_migrations
from bot.store.migrations import split_statements

LATEST = [version for version, _, _ in MIGRATIONS]


def recorded(path: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").fetchall()


async def test_open_creates_folders_wal_and_records_every_migration(db_path: Path) -> None:
    assert not db_path.parent.exists()
    database = await Database.open(db_path)
    try:
        assert await database.connection.journal_mode() == "wal"
        assert await database.connection.schema_versions() == LATEST == [1, 2, 3, 4]
    finally:
        await database.close()
    rows = recorded(db_path)
    assert [(v, n) for v, n, _ in rows] == [(v, n) for v, n, _ in MIGRATIONS]
    assert all(applied_at.endswith("Z") for _, _, applied_at in rows)


async def test_reopening_applies_nothing_and_keeps_data(db_path: Path, make_entry) -> None:
    async with await Database.open(db_path) as database:
        database.writer.record(make_entry(question="kept across restarts"))
    before = recorded(db_path)
    async with await Database.open(db_path) as database:
        rows = await database.questions.fetch()
    assert recorded(db_path) == before
    assert [row.question for row in rows] == ["kept across restarts"]


async def test_apply_migrations_reports_only_new_versions(db_path: Path) -> None:
    db_path.parent.mkdir()
    async with aiosqlite.connect(db_path, isolation_level=None) as conn:
        assert await apply_migrations(conn, MIGRATIONS[:1]) == [1]
        assert await apply_migrations(conn) == [2, 3, 4]
        assert await apply_migrations(conn) == []


async def test_upgrade_from_version_1_keeps_rows_and_enables_new_features(db_path: Path) -> None:
    db_path.parent.mkdir()
    async with aiosqlite.connect(db_path, isolation_level=None) as conn:
        await apply_migrations(conn, MIGRATIONS[:1])
        await conn.execute(
            "INSERT INTO queries (answer_id, ts, guild_id, channel_id, user_id, interface, question,"
            " answered, reason, sources, score, latency_ms, corpus_version)"
            " VALUES ('old', '2024-01-02T03:04:05.000000Z', 1, 2, 3, 'cli', 'old question', 0,"
            " 'no_match', '[]', NULL, 9, 'v0')"
        )
    assert [v for v, _, _ in recorded(db_path)] == [1]

    async with await Database.open(db_path) as database:
        assert await database.connection.schema_versions() == LATEST
        assert await database.votes.cast("old", 5, up=True) == (1, 0)
        (row,) = await database.questions.fetch(LogFilter(guild_id=1))
        assert (row.answer_id, row.question, row.votes_up) == ("old", "old question", 1)
        assert (await database.channels.get(1, 2)).enabled


async def test_a_failing_migration_is_rolled_back_entirely(db_path: Path) -> None:
    db_path.parent.mkdir()
    broken = [*MIGRATIONS[:1], (2, "broken", "CREATE TABLE half_done (x INTEGER);\nSELEC nonsense;\n")]
    async with aiosqlite.connect(db_path, isolation_level=None) as conn:
        with pytest.raises(sqlite3.OperationalError):
            await apply_migrations(conn, broken)
        async with conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'") as cursor:
            assert await cursor.fetchall() == []
    assert [v for v, _, _ in recorded(db_path)] == [1]


def test_split_statements_keeps_trigger_bodies_and_semicolons_in_strings_whole() -> None:
    script = """
    CREATE TABLE t (x TEXT);
    INSERT INTO t VALUES ('a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET x = x || ';';
    END;
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[1] == "INSERT INTO t VALUES ('a;b');"
    assert statements[2].startswith("CREATE TRIGGER") and statements[2].endswith("END;")


def test_split_statements_rejects_an_unterminated_statement() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE t (x TEXT)")
