"""Shared fixtures: an open database on each backend (log entries come from tests/bot/conftest.py).

``database`` runs every test that takes it twice: on a SQLite file in a temporary folder and on an empty
database of the session's throwaway PostgreSQL. ``sqlite_database`` is for tests about the file itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "corpusbot.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, db_path: Path) -> Path | str:
    """Where the test's database lives: the SQLite file, or a PostgreSQL URL."""
    return db_path if request.param == "sqlite" else request.getfixturevalue("postgres_url")


@pytest.fixture
async def database(target: Path | str) -> AsyncIterator[Database]:
    opened = await Database.open(target)
    yield opened
    await opened.close()


@pytest.fixture
async def sqlite_database(db_path: Path) -> AsyncIterator[Database]:
    # A short busy timeout keeps the lock-contention test quick; nothing else waits on locks.
    opened = await Database.open(db_path, busy_timeout=0.05)
    yield opened
    await opened.close()


async def table(database: Database, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query as plain tuples, whatever the backend's row type."""
    return [tuple(row) for row in await database.connection.query(sql)]
