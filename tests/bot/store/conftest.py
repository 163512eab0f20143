"""Shared fixtures: an open database in a temporary folder (log entries come from tests/bot/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "corpusbot.sqlite3"


@pytest.fixture
async def database(db_path: Path) -> AsyncIterator[Database]:
    # A short busy timeout keeps the lock-contention test quick; nothing else waits on locks.
    opened = await Database.open(db_path, busy_timeout=0.05)
    yield opened
    await opened.close()
