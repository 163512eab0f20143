"""What a question logs: channel settings are cached (no read per row), and opted-out channels keep counts only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.records import ChannelConfig, LogFilter
from bot.services.container import Services
from bot.services.recording import Origin
from bot.settings import Settings
from retrieval.engine import Engine


async def test_channel_settings_are_cached_and_a_change_is_seen_at_once(tmp_path: Path) -> None:
    services = await Services.start(Settings(database_path=tmp_path / "db.sqlite3"))
    try:
        assert services.database is not None
        first = await services.channels.get(1, 2)
        assert first.enabled
        calls = 0
        original = services.database.channels.get

        async def counting(guild_id: int, channel_id: int) -> ChannelConfig:
            nonlocal calls
            calls += 1
            return await original(guild_id, channel_id)

        services.database.channels.get = counting  # type: ignore[method-assign]
        assert (await services.channels.get(1, 2)).enabled and calls == 0  # served from memory
        await services.corpus.ask("Who is Ricardo Vaz?", Origin("slash", 1, 2, 3))
        await services.database.writer.flush()
        assert calls == 0  # recording the question read nothing either
        await services.channels.set(replace(first, enabled=False))
        assert not (await services.channels.get(1, 2)).enabled
        assert not (await original(1, 2)).enabled  # and stored
    finally:
        await services.close()


async def test_a_channel_with_logging_off_stores_counts_but_never_text_or_author(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    services = await Services.start(Settings(database_path=db_path))
    corpus = services.corpus
    try:
        await services.channels.set(ChannelConfig(1, 10, log_questions=False))
        await corpus.ask("my private secret question about Ricardo Vaz", Origin("slash", 1, 10, 7))
        await corpus.ask("same channel id, other guild", Origin("slash", 2, 10, 7))
        await corpus.ask("logged channel question", Origin("slash", 1, 11, 7))
        await corpus.timeline("Maduro", None, None, Origin("timeline", 1, 10, 7))
        assert services.database is not None
        await services.database.writer.flush()
        rows = await services.database.questions.fetch(LogFilter(oldest_first=True))
        assert [(r.guild_id, r.channel_id, r.question, r.user_id) for r in rows] == [
            (1, 10, None, None),
            (2, 10, "same channel id, other guild", 7),
            (1, 11, "logged channel question", 7),
            (1, 10, None, None),
        ]
        assert rows[0].score is not None and rows[0].corpus_version and rows[3].interface == "timeline"
        assert (await services.database.stats.of_guild(1, channel_id=10)).total == 2
    finally:
        await services.close()
    stored = db_path.read_bytes()  # closing checkpoints the WAL into the main file
    assert b"private secret" not in stored and b"logged channel" in stored


async def test_unreadable_channel_settings_answer_but_store_no_text(tmp_path: Path) -> None:
    services = await Services.start(Settings(database_path=tmp_path / "db.sqlite3"))
    try:
        assert services.database is not None

        async def locked(guild_id: int, channel_id: int) -> ChannelConfig:
            raise TimeoutError("database is locked")

        services.database.channels.get = locked  # type: ignore[method-assign]
        served = await services.corpus.ask("Who is Ricardo Vaz?", Origin("slash", 5, 6, 7))
        assert served.answer.answered
        await services.database.writer.flush()
        (row,) = await services.database.questions.fetch()
        assert (row.question, row.user_id, row.guild_id) == (None, None, 5)
    finally:
        await services.close()


async def test_votes_without_a_database_are_reported_not_raised(seed_engine: Engine) -> None:
    services = Services(Settings(), seed_engine, None)
    assert await services.recorder.vote("a" * 32, 1, up=True) is None
    services.corpus.close()
