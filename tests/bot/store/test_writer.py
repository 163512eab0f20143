"""The journaled writer: an unavailable database (SQLite or PostgreSQL) loses no row; record() never raises."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.store import Database
from bot.store.journal import encode
from tests.bot.conftest import EntryFactory
from tests.conftest import eventually
from tests.postgres import TemporaryCluster


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.store.writer" and r.levelno >= logging.ERROR]


async def stored(database: Database) -> list[str]:
    return sorted(row.question or "" for row in await database.questions.fetch())


async def test_a_locked_database_keeps_rows_in_the_journal_until_it_is_free(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = sqlite_database
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock like another busy process would
    try:
        for n in range(2):
            await database.writer.record(make_entry(question=f"during the lock {n}"))
            await database.writer.flush()  # returns after a failed attempt
        assert (database.writer.failed_writes, database.writer.written) == (0, 0)
        assert sum("locked" in r.getMessage() and "journal" in r.getMessage() for r in caplog.records) == 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await database.writer.record(make_entry(question="after the lock"))
    await database.writer.flush()
    assert (database.writer.failed_writes, database.writer.written) == (0, 3)
    assert await stored(database) == ["after the lock", "during the lock 0", "during the lock 1"]
    assert any("resumed" in r.getMessage() for r in caplog.records)
    assert not error_records(caplog)


async def test_database_replaced_by_a_directory(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path
) -> None:
    database = sqlite_database
    await database.writer.record(make_entry(question="before"))
    await database.writer.flush()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.mkdir()

    await database.writer.record(make_entry(question="waits in the journal"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (1, 0)

    db_path.rmdir()
    await database.writer.record(make_entry(question="after"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (3, 0)
    assert await stored(database) == ["after", "waits in the journal"]  # a fresh database, schema included


async def test_folder_removed_then_replaced_by_a_file(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path
) -> None:
    database = sqlite_database
    shutil.rmtree(db_path.parent)
    db_path.parent.write_text("not a folder")
    for n in range(3):
        await database.writer.record(make_entry(question=f"held {n}"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (0, 0)

    db_path.parent.unlink()
    await database.writer.record(make_entry(question="recovered"))
    await database.writer.flush()
    assert await stored(database) == ["held 0", "held 1", "held 2", "recovered"]


async def test_a_dead_connection_is_replaced_and_no_row_is_lost(
    sqlite_database: Database, make_entry: EntryFactory
) -> None:
    database = sqlite_database
    # Simulates the connection dying under the writer (the private handle is the only way to reach it).
    assert database.connection._db is not None
    await database.connection._db.close()
    await database.writer.record(make_entry(question="first try fails"))
    await database.writer.flush()
    await database.writer.record(make_entry(question="written by a new connection"))
    await database.writer.flush()
    assert (database.writer.written, database.writer.failed_writes) == (2, 0)
    assert await stored(database) == ["first try fails", "written by a new connection"]


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


async def test_rows_left_in_the_journal_are_replayed_once_and_a_refused_row_is_set_aside(
    target: Path | str, db_path: Path, make_entry: EntryFactory
) -> None:
    """On either backend: a crash's leftovers are copied in at start, already stored ones are not doubled."""
    already = make_entry(question="already stored")
    async with await Database.open(target, journal=False) as first:
        await first.writer.record(already)
        await first.writer.flush()
    journal = db_path.with_name("replayed.journal")
    journal.parent.mkdir(parents=True, exist_ok=True)
    left = [make_entry(question=f"left by a crash {n}") for n in range(3)]
    too_big = make_entry(question="too big", latency_ms=2**70)  # no integer column of either backend holds it
    journal.write_bytes(b"".join(encode(entry) for entry in (already, *left, too_big)))
    async with await Database.open(target, journal=journal) as database:
        await database.writer.flush()
        assert (database.writer.written, database.writer.dropped) == (4, 1)
        assert await stored(database) == ["already stored"] + [f"left by a crash {n}" for n in range(3)]
    assert journal.stat().st_size == 0


async def test_postgres_connections_killed_by_the_server_are_replaced_and_no_row_is_lost(
    postgres_cluster: TemporaryCluster, postgres_url: str, make_entry: EntryFactory, tmp_path: Path
) -> None:
    """A restarted or failed-over server drops every connection: the rows wait in the journal, then are written."""
    async with await Database.open(postgres_url, journal=tmp_path / "postgres.journal") as database:
        await database.writer.record(make_entry(question="before"))
        await database.writer.flush()
        name = postgres_url.split("/")[-1].split("?")[0]
        postgres_cluster.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        for question in ("while reconnecting", "after"):
            await database.writer.record(make_entry(question=question))
            await database.writer.flush()
        await eventually(lambda: database.writer.written == 3)
        assert database.writer.failed_writes == 0
        assert await stored(database) == ["after", "before", "while reconnecting"]


def test_postgres_server_errors_are_transient_and_bad_values_are_not() -> None:
    """What tells the writer to wait for the server (keep the rows) rather than set a row aside."""
    database = Database("postgresql://corpusbot@localhost/corpusbot")  # not connected: only classifies
    for error in (
        asyncpg.CannotConnectNowError("starting up"),
        asyncpg.ConnectionDoesNotExistError("closed"),
        asyncpg.TooManyConnectionsError("too many"),
        asyncpg.InterfaceError("pool is closing"),
        ConnectionRefusedError(111, "refused"),
    ):
        assert database.transient(error), error
    for error in (asyncpg.DataError("invalid input"), asyncpg.UniqueViolationError("dup"), ValueError("bad")):
        assert not database.transient(error), error


async def test_open_raises_for_an_unreachable_postgres(postgres_cluster: TemporaryCluster) -> None:
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await Database.open(postgres_cluster.url("no_such_database"))


async def test_rows_recorded_before_the_database_first_opens_are_kept(
    postgres_cluster: TemporaryCluster, tmp_path: Path, make_entry: EntryFactory
) -> None:
    """A PostgreSQL server still down at start: the journal (a local file) keeps rows until it is up."""
    name = f"journal_first_{os.getpid()}"  # a name no other test creates
    url = postgres_cluster.url(name)
    database = Database(url, journal=tmp_path / "late.journal")
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await database.start()
    await database.writer.record(make_entry(question="asked while the database was down"))
    assert database.writer.failed_writes == 0
    postgres_cluster.psql(f"CREATE DATABASE {name} TEMPLATE template0")
    await database.start()
    await database.writer.flush()
    assert await stored(database) == ["asked while the database was down"]
    await database.close()
