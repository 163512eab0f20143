"""Votes, channel settings, erasure, retention and statistics: the tables composed in one Database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.records import ChannelConfig, LogFilter, SourceRef, utc_now
from bot.store import Database
from tests.bot.conftest import BASE_TS, GUILD_A, GUILD_B, EntryFactory

from .conftest import table


async def vote_rows(database: Database) -> list[tuple[object, ...]]:
    return await table(database, "SELECT answer_id, user_id, vote FROM votes ORDER BY answer_id, user_id")


async def test_one_vote_per_user_per_answer_and_a_second_click_changes_it(
    database: Database, make_entry: EntryFactory
) -> None:
    entry = make_entry()
    assert await database.votes.cast(entry.answer_id, 1, up=True) == (1, 0)  # a vote may precede its row
    assert await database.votes.cast(entry.answer_id, 2, up=False) == (1, 1)
    assert await database.votes.cast(entry.answer_id, 1, up=False) == (0, 2)
    assert await database.votes.cast(entry.answer_id, 1, up=False) == (0, 2)
    database.writer.record(entry)
    await database.writer.flush()
    (row,) = await database.questions.fetch()
    assert (row.votes_up, row.votes_down) == (0, 2)
    assert await database.votes.counts(entry.answer_id) == (0, 2)
    assert await database.votes.counts("unknown") == (0, 0)


async def test_channel_config_defaults_round_trip_and_scope(database: Database) -> None:
    assert await database.channels.get(GUILD_A, 10) == ChannelConfig(GUILD_A, 10, True, True, None)
    for private in (True, False, None):
        wanted = ChannelConfig(GUILD_A, 10, enabled=False, log_questions=False, private_by_default=private)
        await database.channels.set(wanted)
        assert await database.channels.get(GUILD_A, 10) == wanted
    threaded = ChannelConfig(GUILD_A, 10, threads=True, forum=True)
    await database.channels.set(threaded)
    assert await database.channels.get(GUILD_A, 10) == threaded
    await database.channels.set(ChannelConfig(GUILD_B, 10, enabled=False))
    assert await database.channels.of_guild(GUILD_A) == [await database.channels.get(GUILD_A, 10)]
    assert (await database.channels.get(GUILD_A, 11)).enabled


async def test_rows_are_stored_as_given_without_reading_channel_settings(
    database: Database, make_entry: EntryFactory
) -> None:
    """The services decide what a row holds (see tests/bot/services); the writer never re-reads settings."""
    config = await database.channels.get(GUILD_A, 10)
    await database.channels.set(replace(config, log_questions=False))
    database.writer.record(make_entry(question=None, channel_id=10, user_id=None))
    database.writer.record(make_entry(question="as given", channel_id=10, user_id=7))
    await database.writer.flush()
    rows = await database.questions.fetch(LogFilter(oldest_first=True))
    assert [(row.question, row.user_id) for row in rows] == [(None, None), ("as given", 7)]
    assert (rows[0].answered, rows[0].sources, rows[0].latency_ms) == (
        True,
        (SourceRef("003_a1360f9908bf2d3c", 15, 15),),
        42,
    )


async def test_forget_user_removes_only_that_users_rows_and_votes(database: Database, make_entry: EntryFactory) -> None:
    mine_a, mine_b = make_entry(user_id=7), make_entry(user_id=7, guild_id=GUILD_B)
    theirs = make_entry(user_id=8)
    for entry in (mine_a, mine_b, theirs):
        database.writer.record(entry)
    await database.writer.flush()
    await database.votes.cast(theirs.answer_id, 7, up=True)  # my vote on their answer
    await database.votes.cast(mine_a.answer_id, 8, up=True)  # their vote on my (now erased) answer
    await database.votes.cast(theirs.answer_id, 9, up=False)

    assert await database.forget_user(7) == 2
    assert [row.answer_id for row in await database.questions.fetch()] == [theirs.answer_id]
    assert await vote_rows(database) == [(theirs.answer_id, 9, -1)]
    assert await database.forget_user(7) == 0


async def test_forgotten_text_is_gone_from_the_file(
    sqlite_database: Database, make_entry: EntryFactory, db_path: Path
) -> None:
    database = sqlite_database
    database.writer.record(make_entry(user_id=7, question="zebra-crossing-unique-phrase"))
    database.writer.record(make_entry(user_id=8, question="kept-unique-phrase"))
    await database.writer.flush()
    await database.forget_user(7)
    await database.close()
    stored = db_path.read_bytes()
    assert b"zebra-crossing-unique-phrase" not in stored and b"kept-unique-phrase" in stored


async def test_purge_before_and_older_than(database: Database, make_entry: EntryFactory) -> None:
    now = utc_now()
    old, recent = make_entry(ts=now - timedelta(days=40)), make_entry(ts=now - timedelta(days=5))
    database.writer.record(old)
    database.writer.record(recent)
    await database.writer.flush()
    await database.votes.cast(old.answer_id, 1, up=True)

    assert await database.purge_older_than(30) == 1
    assert [row.answer_id for row in await database.questions.fetch()] == [recent.answer_id]
    assert await vote_rows(database) == []
    assert await database.purge_before(now - timedelta(days=6)) == 0
    assert await database.purge_before(now) == 1
    assert await database.questions.fetch() == []
    with pytest.raises(ValueError):
        await database.purge_older_than(-1)


@pytest.fixture
async def stats_database(database: Database, make_entry: EntryFactory) -> tuple[Database, list[str]]:
    doc1, doc2 = SourceRef("doc1", 1, 2), SourceRef("doc2", 3, 3)
    day = timedelta(days=1)
    entries = [
        make_entry(question="What happened?", channel_id=10, sources=(doc1, doc2)),
        make_entry(question="what   HAPPENED", channel_id=10, sources=(doc1, doc2)),
        make_entry(question="Who won?", channel_id=11, answered=False, sources=(), ts=BASE_TS + day),
        make_entry(question="who won", channel_id=11, answered=False, sources=(), ts=BASE_TS + day),
        make_entry(question="Where?", channel_id=10, sources=(doc2, SourceRef("doc2", 9, 9)), ts=BASE_TS + 2 * day),
        make_entry(question="what happened", guild_id=GUILD_B, channel_id=20, sources=(doc1,)),
    ]
    for entry in entries:
        database.writer.record(entry)
    await database.writer.flush()
    ids = [entry.answer_id for entry in entries]
    await database.votes.cast(ids[0], 1, up=True)
    await database.votes.cast(ids[0], 2, up=True)
    await database.votes.cast(ids[2], 1, up=False)
    await database.votes.cast(ids[5], 3, up=True)  # guild B: must not count for A
    return database, ids


async def test_stats_of_a_guild(stats_database: tuple[Database, list[str]]) -> None:
    database, _ = stats_database
    stats = await database.stats.of_guild(GUILD_A)
    assert (stats.total, stats.answered, stats.answer_rate) == (5, 3, 0.6)
    assert stats.per_channel == [(10, 3), (11, 2)]
    assert stats.per_day == [("2024-05-01", 2), ("2024-05-02", 2), ("2024-05-03", 1)]
    assert stats.top_questions == [("what happened", 2), ("who won", 2), ("where", 1)]
    assert stats.top_sources == [("doc2", 3), ("doc1", 2)]
    assert stats.gaps == [("who won", 2)]
    assert (stats.votes_up, stats.votes_down) == (2, 1)
    assert (stats.refusal_votes_up, stats.refusal_votes_down) == (0, 1)  # the 👎 was on the refusal
    assert stats.disputed_gaps == [("who won", 1)]
    assert stats.answered_per_day == [("2024-05-01", 2), ("2024-05-02", 0), ("2024-05-03", 1)]
    assert json.loads(json.dumps(stats.to_dict()))["per_channel"] == [["10", 3], ["11", 2]]


async def test_stats_since_channel_and_top(stats_database: tuple[Database, list[str]]) -> None:
    database, _ = stats_database
    since = await database.stats.of_guild(GUILD_A, since="2024-05-02")
    assert (since.total, since.answered, since.votes_up, since.votes_down) == (3, 1, 0, 1)
    assert since.since == BASE_TS.replace(day=2, hour=0)
    channel = await database.stats.of_guild(GUILD_A, channel_id=11)
    assert (channel.total, channel.answered, channel.per_channel) == (2, 0, [(11, 2)])
    assert (await database.stats.of_guild(GUILD_A, top=1)).top_questions == [("what happened", 2)]
    other_guilds_channel = await database.stats.of_guild(GUILD_A, channel_id=20)
    assert (
        other_guilds_channel.total,
        other_guilds_channel.answer_rate,
        other_guilds_channel.top_sources,
    ) == (
        0,
        0.0,
        [],
    )
    assert (await database.stats.of_guild(GUILD_B)).total == 1
    assert await database.questions.count(LogFilter(guild_id=GUILD_A)) == 5
