"""Shared fixtures: an open database on each backend, and a factory for complete log entries.

``log`` runs every test that takes it twice: on a SQLite file in a temporary folder and on an empty
database of the session's throwaway PostgreSQL. ``sqlite_log`` is for tests about the file itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.records import LogEntry, SourceRef, new_answer_id
from bot.store import Database

GUILD_A, GUILD_B = 111_111_111_111_111_111, 222_222_222_222_222_222
BASE_TS = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

EntryFactory = Callable[..., LogEntry]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "corpusbot.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, db_path: Path) -> Path | str:
    """Where the test's database lives: the SQLite file, or a PostgreSQL URL."""
    return db_path if request.param == "sqlite" else request.getfixturevalue("postgres_url")


@pytest.fixture
async def log(target: Path | str) -> AsyncIterator[Database]:
    database = await Database.open(target)
    yield database
    await database.close()


@pytest.fixture
async def sqlite_log(db_path: Path) -> AsyncIterator[Database]:
    # A short busy timeout keeps the lock-contention test quick; nothing else waits on locks.
    database = await Database.open(db_path, busy_timeout=0.05)
    yield database
    await database.close()


async def table(database: Database, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query as plain tuples, whatever the backend's row type."""
    return [tuple(row) for row in await database.connection.query(sql)]


@pytest.fixture
def make_entry() -> EntryFactory:
    """Complete entries by default, so a test only spells out the fields it is about."""
    template = LogEntry(
        interface="slash",
        question="What happened at the summit?",
        answered=True,
        reason=None,
        sources=(SourceRef("003_a1360f9908bf2d3c", 15, 15),),
        score=0.8,
        latency_ms=42,
        corpus_version="v1",
        guild_id=GUILD_A,
        channel_id=10,
        user_id=7,
        ts=BASE_TS,
    )

    def make(**changes: Any) -> LogEntry:
        return replace(template, **{"answer_id": new_answer_id(), **changes})

    return make
