"""Moderation: votes, channel config (incl. logging off), erasure, retention and statistics."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.records import ChannelConfig, LogFilter, SourceRef, utc_now
from bot.store import Database

from .conftest import BASE_TS, GUILD_A, GUILD_B, EntryFactory


def vote_rows(path: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT answer_id, user_id, vote FROM votes ORDER BY answer_id, user_id").fetchall()


async def test_one_vote_per_user_per_answer_and_a_second_click_changes_it(
    log: Database, make_entry: EntryFactory
) -> None:
    entry = make_entry()
    assert await log.votes.cast(entry.answer_id, 1, up=True) == (1, 0)  # a vote may precede its row
    assert await log.votes.cast(entry.answer_id, 2, up=False) == (1, 1)
    assert await log.votes.cast(entry.answer_id, 1, up=False) == (0, 2)
    assert await log.votes.cast(entry.answer_id, 1, up=False) == (0, 2)
    log.writer.record(entry)
    await log.writer.flush()
    (row,) = await log.questions.fetch()
    assert (row.votes_up, row.votes_down) == (0, 2)
    assert await log.votes.counts(entry.answer_id) == (0, 2)
    assert await log.votes.counts("unknown") == (0, 0)


async def test_channel_config_defaults_round_trip_and_scope(log: Database) -> None:
    assert await log.channels.get(GUILD_A, 10) == ChannelConfig(GUILD_A, 10, True, True, None)
    for private in (True, False, None):
        wanted = ChannelConfig(GUILD_A, 10, enabled=False, log_questions=False, private_by_default=private)
        await log.channels.set(wanted)
        assert await log.channels.get(GUILD_A, 10) == wanted
    await log.channels.set(ChannelConfig(GUILD_B, 10, enabled=False))
    assert await log.channels.of_guild(GUILD_A) == [await log.channels.get(GUILD_A, 10)]
    assert (await log.channels.get(GUILD_A, 11)).enabled


async def test_rows_are_stored_as_given_without_reading_channel_settings(
    log: Database, make_entry: EntryFactory, db_path: Path
) -> None:
    """The services decide what a row holds (see tests/bot/services); the writer never re-reads settings."""
    config = await log.channels.get(GUILD_A, 10)
    await log.channels.set(replace(config, log_questions=False))
    log.writer.record(make_entry(question=None, channel_id=10, user_id=None))
    log.writer.record(make_entry(question="as given", channel_id=10, user_id=7))
    await log.writer.flush()
    rows = await log.questions.fetch(LogFilter(oldest_first=True))
    assert [(row.question, row.user_id) for row in rows] == [(None, None), ("as given", 7)]
    assert (rows[0].answered, rows[0].sources, rows[0].latency_ms) == (
        True,
        (SourceRef("003_a1360f9908bf2d3c", 15, 15),),
        42,
    )


async def test_forget_user_removes_only_that_users_rows_and_votes(
    log: Database, make_entry: EntryFactory, db_path: Path
) -> None:
    mine_a, mine_b = make_entry(user_id=7), make_entry(user_id=7, guild_id=GUILD_B)
    theirs = make_entry(user_id=8)
    for entry in (mine_a, mine_b, theirs):
        log.writer.record(entry)
    await log.writer.flush()
    await log.votes.cast(theirs.answer_id, 7, up=True)  # my vote on their answer
    await log.votes.cast(mine_a.answer_id, 8, up=True)  # their vote on my (now erased) answer
    await log.votes.cast(theirs.answer_id, 9, up=False)

    assert await log.forget_user(7) == 2
    assert [row.answer_id for row in await log.questions.fetch()] == [theirs.answer_id]
    assert vote_rows(db_path) == [(theirs.answer_id, 9, -1)]
    assert await log.forget_user(7) == 0


async def test_forgotten_text_is_gone_from_the_file(log: Database, make_entry: EntryFactory, db_path: Path) -> None:
    log.writer.record(make_entry(user_id=7, question="zebra-crossing-unique-phrase"))
    log.writer.record(make_entry(user_id=8, question="kept-unique-phrase"))
    await log.writer.flush()
    await log.forget_user(7)
    await log.close()
    stored = db_path.read_bytes()
    assert b"zebra-crossing-unique-phrase" not in stored and b"kept-unique-phrase" in stored


async def test_purge_before_and_older_than(log: Database, make_entry: EntryFactory, db_path: Path) -> None:
    now = utc_now()
    old, recent = make_entry(ts=now - timedelta(days=40)), make_entry(ts=now - timedelta(days=5))
    log.writer.record(old)
    log.writer.record(recent)
    await log.writer.flush()
    await log.votes.cast(old.answer_id, 1, up=True)

    assert await log.purge_older_than(30) == 1
    assert [row.answer_id for row in await log.questions.fetch()] == [recent.answer_id]
    assert vote_rows(db_path) == []
    assert await log.purge_before(now - timedelta(days=6)) == 0
    assert await log.purge_before(now) == 1
    assert await log.questions.fetch() == []
    with pytest.raises(ValueError):
        await log.purge_older_than(-1)


@pytest.fixture
async def stats_log(log: Database, make_entry: EntryFactory) -> tuple[Database, list[str]]:
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
        log.writer.record(entry)
    await log.writer.flush()
    ids = [entry.answer_id for entry in entries]
    await log.votes.cast(ids[0], 1, up=True)
    await log.votes.cast(ids[0], 2, up=True)
    await log.votes.cast(ids[2], 1, up=False)
    await log.votes.cast(ids[5], 3, up=True)  # guild B: must not count for A
    return log, ids


async def test_stats_of_a_guild(stats_log: tuple[Database, list[str]]) -> None:
    log, _ = stats_log
    stats = await log.stats.of_guild(GUILD_A)
    assert (stats.total, stats.answered, stats.answer_rate) == (5, 3, 0.6)
    assert stats.per_channel == [(10, 3), (11, 2)]
    assert stats.per_day == [("2024-05-01", 2), ("2024-05-02", 2), ("2024-05-03", 1)]
    assert stats.top_questions == [("what happened", 2), ("who won", 2), ("where", 1)]
    assert stats.top_sources == [("doc2", 3), ("doc1", 2)]
    assert stats.gaps == [("who won", 2)]
    assert (stats.votes_up, stats.votes_down) == (2, 1)
    assert json.loads(json.dumps(stats.to_dict()))["per_channel"] == [["10", 3], ["11", 2]]


async def test_stats_since_channel_and_top(stats_log: tuple[Database, list[str]]) -> None:
    log, _ = stats_log
    since = await log.stats.of_guild(GUILD_A, since="2024-05-02")
    assert (since.total, since.answered, since.votes_up, since.votes_down) == (3, 1, 0, 1)
    assert since.since == BASE_TS.replace(day=2, hour=0)
    channel = await log.stats.of_guild(GUILD_A, channel_id=11)
    assert (channel.total, channel.answered, channel.per_channel) == (2, 0, [(11, 2)])
    assert (await log.stats.of_guild(GUILD_A, top=1)).top_questions == [("what happened", 2)]
    other_guilds_channel = await log.stats.of_guild(GUILD_A, channel_id=20)
    assert (
        other_guilds_channel.total,
        other_guilds_channel.answer_rate,
        other_guilds_channel.top_sources,
    ) == (
        0,
        0.0,
        [],
    )
    assert (await log.stats.of_guild(GUILD_B)).total == 1
    assert await log.questions.count(LogFilter(guild_id=GUILD_A)) == 5
