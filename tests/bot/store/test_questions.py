"""The questions table: every field round trips, filters narrow and never cross guilds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.records import LogEntry, LogFilter, SourceRef
from bot.store import Database
from bot.store.questions import escape_like
from retrieval.models import Answer, Quote
from tests.bot.conftest import BASE_TS, GUILD_A, GUILD_B, EntryFactory

# --- round trip -----------------------------------------------------------------------------------------


async def test_every_field_survives_record_flush_fetch(database: Database) -> None:
    entry = LogEntry(
        interface="timeline",
        question="Qui a signé l'accord ?\nEt quand ?",
        answered=False,
        reason="low_confidence",
        sources=(SourceRef("003_a1360f9908bf2d3c", 15, 15), SourceRef("010_ffee", 3, 7)),
        score=0.3125,
        latency_ms=1234,
        corpus_version="sha-abc",
        guild_id=GUILD_A,
        channel_id=9_223_372_036_854_775_807,  # the largest snowflake SQLite can hold
        user_id=42,
        answer_id="0123456789abcdef0123456789abcdef",
        ts=BASE_TS.replace(microsecond=123456),
    )
    database.writer.record(entry)
    await database.writer.flush()
    (row,) = await database.questions.fetch()
    for name in LogEntry.__dataclass_fields__:
        assert getattr(row, name) == getattr(entry, name), name
    assert (row.votes_up, row.votes_down) == (0, 0)
    assert database.writer.written == 1 and database.writer.failed_writes == 0


async def test_entry_from_answer_takes_sources_and_top_score(database: Database) -> None:
    def quote(doc_id: str, line: int, score: float) -> Quote:
        return Quote("text", doc_id, "title", None, "url", line, line + 1, score)

    answer = Answer(
        question="Who?",
        answered=True,
        reason=None,
        quotes=(quote("d1", 3, 0.6), quote("d2", 8, 0.9)),
        suggestions=(quote("d3", 1, 0.2),),
        corpus_version="v9",
    )
    entry = LogEntry.from_answer(
        answer, interface="chat", latency_ms=17, guild_id=1, channel_id=2, user_id=3, answer_id="abc"
    )
    database.writer.record(entry)
    await database.writer.flush()
    (row,) = await database.questions.fetch()
    assert (row.answer_id, row.interface, row.question, row.answered, row.score) == (
        "abc",
        "chat",
        "Who?",
        True,
        0.9,
    )
    assert row.sources == (SourceRef("d1", 3, 4), SourceRef("d2", 8, 9))
    assert (row.guild_id, row.channel_id, row.user_id, row.latency_ms, row.corpus_version) == (
        1,
        2,
        3,
        17,
        "v9",
    )
    abstained = LogEntry.from_answer(Answer("?", False, "no_match"), interface="cli", latency_ms=1)
    assert (abstained.score, abstained.sources, len(abstained.answer_id)) == (None, (), 32)


async def test_entry_without_guild_channel_user_or_score(database: Database) -> None:
    database.writer.record(LogEntry(interface="cli", question="x", answered=True))
    await database.writer.flush()
    (row,) = await database.questions.fetch()
    assert (row.guild_id, row.channel_id, row.user_id, row.score, row.sources) == (None, None, None, None, ())


async def test_naive_timestamps_are_taken_as_utc(database: Database, make_entry: EntryFactory) -> None:
    database.writer.record(make_entry(ts=datetime(2024, 5, 1, 12, 0)))
    await database.writer.flush()
    (row,) = await database.questions.fetch()
    assert row.ts == BASE_TS


async def test_duplicate_answer_id_keeps_the_first_row(database: Database, make_entry: EntryFactory) -> None:
    database.writer.record(make_entry(answer_id="same", question="first"))
    database.writer.record(make_entry(answer_id="same", question="second"))
    await database.writer.flush()
    assert [row.question for row in await database.questions.fetch()] == ["first"]


# --- filters --------------------------------------------------------------------------------------------


@pytest.fixture
async def filled(database: Database, make_entry: EntryFactory) -> Database:
    """Guild A: five questions over three days; guild B: look-alikes that A must never see."""
    day = timedelta(days=1)
    for entry in (
        make_entry(question="100% sure?", ts=BASE_TS),
        make_entry(question="snake_case name", ts=BASE_TS + timedelta(hours=1), answered=False),
        make_entry(question="Élysée palace", ts=BASE_TS + day, channel_id=11, user_id=8),
        make_entry(question="plain question", ts=BASE_TS + 2 * day, interface="mention"),
        make_entry(question="back\\slash", ts=BASE_TS + 2 * day + timedelta(hours=1), answered=False),
        make_entry(question="B 100% secret_x", guild_id=GUILD_B, channel_id=20, user_id=9),
        make_entry(question="B shared user", guild_id=GUILD_B, channel_id=20, user_id=7, answered=False),
    ):
        database.writer.record(entry)
    await database.writer.flush()
    return database


async def questions(database: Database, **fields: object) -> list[str | None]:
    return [row.question for row in await database.questions.fetch(LogFilter(**fields))]  # type: ignore[arg-type]


async def test_newest_first_by_default_and_paging(filled: Database) -> None:
    newest = await questions(filled, guild_id=GUILD_A)
    assert newest == ["back\\slash", "plain question", "Élysée palace", "snake_case name", "100% sure?"]
    assert await questions(filled, guild_id=GUILD_A, oldest_first=True) == newest[::-1]
    assert await questions(filled, guild_id=GUILD_A, limit=2, offset=1) == newest[1:3]
    assert await filled.questions.count(LogFilter(guild_id=GUILD_A, limit=1)) == 5


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"channel_id": 11}, ["Élysée palace"]),
        ({"user_id": 8}, ["Élysée palace"]),
        ({"interface": "mention"}, ["plain question"]),
        ({"unanswered": True}, ["back\\slash", "snake_case name"]),
        ({"since": "2024-05-02"}, ["back\\slash", "plain question", "Élysée palace"]),
        ({"until": "2024-05-01"}, ["snake_case name", "100% sure?"]),
        ({"until": "2024-05-01T12:00:00Z"}, ["100% sure?"]),
        ({"since": datetime(2024, 5, 3, 12, 30), "until": date(2024, 5, 3)}, ["back\\slash"]),
        ({"text": "%"}, ["100% sure?"]),
        ({"text": "_"}, ["snake_case name"]),
        ({"text": "\\"}, ["back\\slash"]),
        ({"text": "ÉLYSÉE"}, ["Élysée palace"]),
        ({"text": "PLAIN"}, ["plain question"]),
        ({"text": "' OR 1=1 --"}, []),
    ],
)
async def test_filters_within_a_guild(filled: Database, fields: dict[str, object], expected: list[str]) -> None:
    assert await questions(filled, guild_id=GUILD_A, **fields) == expected


CRAFTED: list[dict[str, object]] = [
    {},
    {"text": "%"},
    {"text": "_"},
    {"text": "secret"},
    {"text": "' OR 1=1 --"},
    {"text": "%' OR guild_id != 0 OR '%'='"},
    {"channel_id": 20},
    {"user_id": 9},
    {"user_id": 7},
    {"since": "1970-01-01", "until": "2999-12-31"},
    {"unanswered": True, "limit": None, "offset": 0},
]


@pytest.mark.parametrize("fields", CRAFTED)
async def test_a_guild_filter_never_returns_another_guild(filled: Database, fields: dict[str, object]) -> None:
    rows = await filled.questions.fetch(LogFilter(guild_id=GUILD_A, **fields))  # type: ignore[arg-type]
    assert all(row.guild_id == GUILD_A for row in rows)
    assert await filled.questions.count(LogFilter(guild_id=GUILD_A, **fields)) == len(rows)  # type: ignore[arg-type]


async def test_crafted_filters_match_what_they_say_and_nothing_more(filled: Database) -> None:
    assert await questions(filled, guild_id=GUILD_A, channel_id=20) == []
    assert await questions(filled, guild_id=GUILD_A, user_id=9) == []
    assert await questions(filled, guild_id=GUILD_A, text="secret") == []
    assert await questions(filled, guild_id=GUILD_B, user_id=7) == ["B shared user"]
    assert await questions(filled, text="%") == ["B 100% secret_x", "100% sure?"]


def test_escape_like() -> None:
    assert escape_like("50%_a\\b") == "50\\%\\_a\\\\b"


@pytest.mark.parametrize("fields", [{"since": "yesterday"}, {"until": "2024-13-01"}, {"limit": -1}, {"offset": -2}])
def test_bad_filters_are_rejected_when_built(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        LogFilter(**fields)  # type: ignore[arg-type]


# --- never failing the caller ---------------------------------------------------------------------------
