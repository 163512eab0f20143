"""Moderation: votes, channel config (incl. logging off), erasure, retention and statistics."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store import ChannelConfig, LogFilter, QueryLog, SourceRef
from bot.store.models import utc_now

from .conftest import BASE_TS, GUILD_A, GUILD_B, EntryFactory


def vote_rows(path: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT answer_id, user_id, vote FROM votes ORDER BY answer_id, user_id").fetchall()


async def test_one_vote_per_user_per_answer_and_a_second_click_changes_it(
    log: QueryLog, make_entry: EntryFactory
) -> None:
    entry = make_entry()
    assert await log.vote(entry.answer_id, 1, up=True) == (1, 0)  # a vote may precede its row
    assert await log.vote(entry.answer_id, 2, up=False) == (1, 1)
    assert await log.vote(entry.answer_id, 1, up=False) == (0, 2)
    assert await log.vote(entry.answer_id, 1, up=False) == (0, 2)
    log.record(entry)
    await log.flush()
    (row,) = await log.fetch()
    assert (row.votes_up, row.votes_down) == (0, 2)
    assert await log.votes(entry.answer_id) == (0, 2)
    assert await log.votes("unknown") == (0, 0)


async def test_channel_config_defaults_round_trip_and_scope(log: QueryLog) -> None:
    assert await log.channel_config(GUILD_A, 10) == ChannelConfig(GUILD_A, 10, True, True, None)
    for private in (True, False, None):
        wanted = ChannelConfig(GUILD_A, 10, enabled=False, log_questions=False, private_by_default=private)
        await log.set_channel_config(wanted)
        assert await log.channel_config(GUILD_A, 10) == wanted
    await log.set_channel_config(ChannelConfig(GUILD_B, 10, enabled=False))
    assert await log.channel_configs(GUILD_A) == [await log.channel_config(GUILD_A, 10)]
    assert (await log.channel_config(GUILD_A, 11)).enabled


async def test_logging_off_keeps_the_count_but_never_stores_text_or_user(
    log: QueryLog, make_entry: EntryFactory, db_path: Path
) -> None:
    config = await log.channel_config(GUILD_A, 10)
    await log.set_channel_config(replace(config, log_questions=False))
    log.record(make_entry(question="my private secret question", channel_id=10, user_id=7))
    log.record(make_entry(question="same channel id, other guild", guild_id=GUILD_B, channel_id=10))
    log.record(make_entry(question="logged channel", channel_id=11))
    await log.flush()

    rows = {row.channel_id if row.guild_id == GUILD_A else "B": row for row in await log.fetch()}
    hidden = rows[10]
    assert (hidden.question, hidden.user_id) == (None, None)
    assert (hidden.answered, hidden.sources, hidden.latency_ms) == (
        True,
        (SourceRef("003_a1360f9908bf2d3c", 15, 15),),
        42,
    )
    assert rows[11].question == "logged channel" and rows["B"].user_id == 7
    assert (await log.stats(GUILD_A, channel_id=10)).total == 1
    await log.close()
    stored = db_path.read_bytes()  # closing checkpoints the WAL into the main file
    assert b"private secret" not in stored and b"logged channel" in stored


async def test_forget_user_removes_only_that_users_rows_and_votes(
    log: QueryLog, make_entry: EntryFactory, db_path: Path
) -> None:
    mine_a, mine_b = make_entry(user_id=7), make_entry(user_id=7, guild_id=GUILD_B)
    theirs = make_entry(user_id=8)
    for entry in (mine_a, mine_b, theirs):
        log.record(entry)
    await log.flush()
    await log.vote(theirs.answer_id, 7, up=True)  # my vote on their answer
    await log.vote(mine_a.answer_id, 8, up=True)  # their vote on my (now erased) answer
    await log.vote(theirs.answer_id, 9, up=False)

    assert await log.forget_user(7) == 2
    assert [row.answer_id for row in await log.fetch()] == [theirs.answer_id]
    assert vote_rows(db_path) == [(theirs.answer_id, 9, -1)]
    assert await log.forget_user(7) == 0


async def test_forgotten_text_is_gone_from_the_file(log: QueryLog, make_entry: EntryFactory, db_path: Path) -> None:
    log.record(make_entry(user_id=7, question="zebra-crossing-unique-phrase"))
    log.record(make_entry(user_id=8, question="kept-unique-phrase"))
    await log.flush()
    await log.forget_user(7)
    await log.close()
    stored = db_path.read_bytes()
    assert b"zebra-crossing-unique-phrase" not in stored and b"kept-unique-phrase" in stored


async def test_purge_before_and_older_than(log: QueryLog, make_entry: EntryFactory, db_path: Path) -> None:
    now = utc_now()
    old, recent = make_entry(ts=now - timedelta(days=40)), make_entry(ts=now - timedelta(days=5))
    log.record(old)
    log.record(recent)
    await log.flush()
    await log.vote(old.answer_id, 1, up=True)

    assert await log.purge_older_than(30) == 1
    assert [row.answer_id for row in await log.fetch()] == [recent.answer_id]
    assert vote_rows(db_path) == []
    assert await log.purge_before(now - timedelta(days=6)) == 0
    assert await log.purge_before(now) == 1
    assert await log.fetch() == []
    with pytest.raises(ValueError):
        await log.purge_older_than(-1)


@pytest.fixture
async def stats_log(log: QueryLog, make_entry: EntryFactory) -> tuple[QueryLog, list[str]]:
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
        log.record(entry)
    await log.flush()
    ids = [entry.answer_id for entry in entries]
    await log.vote(ids[0], 1, up=True)
    await log.vote(ids[0], 2, up=True)
    await log.vote(ids[2], 1, up=False)
    await log.vote(ids[5], 3, up=True)  # guild B: must not count for A
    return log, ids


async def test_stats_of_a_guild(stats_log: tuple[QueryLog, list[str]]) -> None:
    log, _ = stats_log
    stats = await log.stats(GUILD_A)
    assert (stats.total, stats.answered, stats.answer_rate) == (5, 3, 0.6)
    assert stats.per_channel == [(10, 3), (11, 2)]
    assert stats.per_day == [("2024-05-01", 2), ("2024-05-02", 2), ("2024-05-03", 1)]
    assert stats.top_questions == [("what happened", 2), ("who won", 2), ("where", 1)]
    assert stats.top_sources == [("doc2", 3), ("doc1", 2)]
    assert stats.gaps == [("who won", 2)]
    assert (stats.votes_up, stats.votes_down) == (2, 1)
    assert json.loads(json.dumps(stats.to_dict()))["per_channel"] == [["10", 3], ["11", 2]]


async def test_stats_since_channel_and_top(stats_log: tuple[QueryLog, list[str]]) -> None:
    log, _ = stats_log
    since = await log.stats(GUILD_A, since="2024-05-02")
    assert (since.total, since.answered, since.votes_up, since.votes_down) == (3, 1, 0, 1)
    assert since.since == BASE_TS.replace(day=2, hour=0)
    channel = await log.stats(GUILD_A, channel_id=11)
    assert (channel.total, channel.answered, channel.per_channel) == (2, 0, [(11, 2)])
    assert (await log.stats(GUILD_A, top=1)).top_questions == [("what happened", 2)]
    other_guilds_channel = await log.stats(GUILD_A, channel_id=20)
    assert (
        other_guilds_channel.total,
        other_guilds_channel.answer_rate,
        other_guilds_channel.top_sources,
    ) == (
        0,
        0.0,
        [],
    )
    assert (await log.stats(GUILD_B)).total == 1
    assert await log.count(LogFilter(guild_id=GUILD_A)) == 5
