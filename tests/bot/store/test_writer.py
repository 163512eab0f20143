"""The journaled writer: an unavailable database loses no row, writing resumes, record() never raises."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.store import Database
from tests.bot.conftest import EntryFactory


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.store.writer" and r.levelno >= logging.ERROR]


async def stored(database: Database) -> list[str]:
    return sorted(row.question or "" for row in await database.questions.fetch())


async def test_a_locked_database_keeps_rows_in_the_journal_until_it_is_free(
    database: Database, make_entry: EntryFactory, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
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


async def test_database_replaced_by_a_directory(database: Database, make_entry: EntryFactory, db_path: Path) -> None:
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
    database: Database, make_entry: EntryFactory, db_path: Path
) -> None:
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


async def test_a_dead_connection_is_replaced_and_no_row_is_lost(database: Database, make_entry: EntryFactory) -> None:
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
