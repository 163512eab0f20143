"""The batch writer: failures are counted and logged once, writing resumes, record() never raises."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.store import Database
from tests.bot.conftest import EntryFactory
from tests.postgres import TemporaryCluster


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.store.writer" and r.levelno >= logging.ERROR]


async def test_a_locked_database_is_counted_logged_once_and_writing_resumes(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = sqlite_database
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock like another busy process would
    try:
        for _ in range(2):
            database.writer.record(make_entry())
            await database.writer.flush()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert (database.writer.failed_writes, database.writer.written) == (2, 0)
    (record,) = error_records(caplog)
    assert record.exc_info is not None and "locked" in str(record.exc_info[1])

    database.writer.record(make_entry(question="after the lock"))
    await database.writer.flush()
    assert database.writer.written == 1
    assert [row.question for row in await database.questions.fetch()] == ["after the lock"]
    assert any("resumed" in r.getMessage() for r in caplog.records)


async def test_database_replaced_by_a_directory(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = sqlite_database
    database.writer.record(make_entry(question="before"))
    await database.writer.flush()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.mkdir()

    database.writer.record(make_entry(question="lost"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (1, 1)
    assert len(error_records(caplog)) == 1

    db_path.rmdir()
    database.writer.record(make_entry(question="after"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (2, 1)
    assert [row.question for row in await database.questions.fetch()] == ["after"]  # a fresh database, schema included


async def test_folder_removed_then_replaced_by_a_file(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = sqlite_database
    shutil.rmtree(db_path.parent)
    db_path.parent.write_text("not a folder")
    for _ in range(3):
        database.writer.record(make_entry())
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (0, 3)
    assert len(error_records(caplog)) == 1

    db_path.parent.unlink()
    database.writer.record(make_entry(question="recovered"))
    await database.writer.flush()
    assert [row.question for row in await database.questions.fetch()] == ["recovered"]


async def test_a_dead_connection_is_replaced_after_one_failed_batch(
    sqlite_database: Database, make_entry: EntryFactory
) -> None:
    database = sqlite_database
    # Simulates the connection dying under the writer (the private handle is the only way to reach it).
    assert database.connection._db is not None
    await database.connection._db.close()
    database.writer.record(make_entry(question="lost"))
    await database.writer.flush()
    database.writer.record(make_entry(question="written by a new connection"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (1, 1)
    assert [row.question for row in await database.questions.fetch()] == ["written by a new connection"]


async def test_record_never_raises_when_full_or_closed(db_path: Path, make_entry: EntryFactory) -> None:
    database = await Database.open(db_path, queue_size=1)
    database.writer.record(make_entry(question="queued"))
    database.writer.record(make_entry(question="dropped: queue full"))  # the writer has not run yet
    assert database.writer.failed_writes == 1
    await database.close()
    database.writer.record(make_entry(question="dropped: closed"))
    assert (database.writer.written, database.writer.failed_writes) == (1, 2)
    await database.close()  # closing twice is harmless


async def test_open_raises_for_an_unusable_path(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        await Database.open(tmp_path / "file" / "database.sqlite3")


async def test_postgres_connections_killed_by_the_server_are_replaced(
    postgres_cluster: TemporaryCluster, postgres_url: str, make_entry: EntryFactory
) -> None:
    """A restarted or failed-over server drops every connection: at most one batch is lost, then writing resumes."""
    async with await Database.open(postgres_url) as database:
        database.writer.record(make_entry(question="before"))
        await database.writer.flush()
        name = postgres_url.split("/")[-1].split("?")[0]
        postgres_cluster.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        for question in ("maybe lost", "after"):
            database.writer.record(make_entry(question=question))
            await database.writer.flush()
        assert database.writer.failed_writes <= 1
        questions = {row.question for row in await database.questions.fetch()}
        assert {"before", "after"} <= questions


async def test_open_raises_for_an_unreachable_postgres(postgres_cluster: TemporaryCluster) -> None:
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await Database.open(postgres_cluster.url("no_such_database"))
