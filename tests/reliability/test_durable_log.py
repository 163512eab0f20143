"""B4/B8: a durable question log — one bad row cannot lose others, a locked or missing database loses
nothing, memory stays bounded with drops counted, and answered questions survive SIGKILL."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.discord.moderation.render import stats_embed
from bot.records import GuildStats, LogEntry, LogFilter
from bot.store import Database
from bot.store.journal import FileJournal, encode
from tests.load_discord import run_load


def question(text: str, **fields: object) -> LogEntry:
    return LogEntry(**{"interface": "slash", "question": text, "answered": False, "latency_ms": 1, **fields})  # type: ignore[arg-type]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "corpusbot.sqlite3"


async def test_lone_surrogates_and_nuls_cannot_lose_a_burst(db_path: Path) -> None:
    database = await Database.open(db_path)
    for n in range(500):
        text = f"q{n} \ud800 broken" if n % 7 == 0 else f"q{n} nul\x00inside" if n % 11 == 0 else f"q{n}"
        database.writer.record(question(text))
    await database.writer.flush()
    assert await database.questions.count() == 500 and database.writer.dropped == 0
    stored = {row.question for row in await database.questions.fetch(LogFilter(limit=None))}
    assert "q0 \ufffd broken" in stored and "q11 nulinside" in stored
    await database.close()


async def test_a_row_the_database_refuses_is_set_aside_alone(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    database = await Database.open(db_path)
    for n in range(100):  # SQLite integers stop at 2**63 - 1: that one row cannot be stored, the others can
        database.writer.record(question(f"q{n}", latency_ms=2**70 if n == 50 else 1))
    await database.writer.flush()
    assert (await database.questions.count(), database.writer.dropped) == (99, 1)
    assert sum("refused the row" in r.getMessage() for r in caplog.records) == 1
    await database.close()


async def test_a_lock_held_past_the_busy_timeout_loses_no_row(db_path: Path) -> None:
    database = await Database.open(db_path, busy_timeout=0.05)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    for n in range(300):
        await database.writer.record(question(f"q{n}"))  # durable in the journal although the database is locked
    await database.writer.flush()
    assert database.writer.written == 0
    blocker.execute("ROLLBACK")
    blocker.close()
    await database.writer.flush()
    assert (await database.questions.count(), database.writer.dropped) == (300, 0)
    await database.close()


async def test_memory_is_bounded_and_drops_are_counted_and_shown(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = await Database.open(db_path, queue_size=10)
    for n in range(50):  # faster than the journal can take them: no await in between
        database.writer.record(question(f"q{n}"))
    await database.writer.flush()
    assert (await database.questions.count(), database.writer.dropped) == (10, 40)
    assert sum("dropped" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR) == 1
    empty = GuildStats(1, None, None, 0, 0, [], [], [], [], [], 0, 0)
    footer = stats_embed(empty, scope="here", titles={}, dropped=database.writer.dropped).footer.text
    assert footer is not None and "40 questions could not be logged" in footer
    await database.close()


async def test_rows_left_in_the_journal_are_replayed_and_a_torn_tail_is_cut(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    journal = db_path.with_name(db_path.name + ".journal")
    journal.write_bytes(b"".join(encode(question(f"left by a crash {n}")) for n in range(3)) + b'{"answer_id": "tor')
    database = await Database.open(db_path)
    await database.writer.flush()
    assert sorted(row.question or "" for row in await database.questions.fetch()) == [
        f"left by a crash {n}" for n in range(3)
    ]
    await database.close()
    assert journal.stat().st_size == 0


def test_a_second_process_never_shares_the_journal(tmp_path: Path) -> None:
    first = FileJournal(tmp_path / "j")
    with pytest.raises(BlockingIOError):
        FileJournal(tmp_path / "j")
    first.close()


async def test_answered_questions_survive_sigkill_at_300_per_second(tmp_path: Path) -> None:
    report = await run_load(900, workdir=tmp_path, rate=300.0, kill_after=300)
    assert report.killed and report.answered >= 300
    assert report.answered_missing_from_log == 0
