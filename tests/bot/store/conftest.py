"""Shared fixtures: an open log in a temporary folder and a factory for complete log entries."""

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


@pytest.fixture
async def log(db_path: Path) -> AsyncIterator[Database]:
    # A short busy timeout keeps the lock-contention test quick; nothing else waits on locks.
    query_log = await Database.open(db_path, busy_timeout=0.05)
    yield query_log
    await query_log.close()


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
