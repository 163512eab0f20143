"""CorpusService reloads: questions keep their engine, failures keep the old one, the watcher reloads on request."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.services import corpus as service_module
from bot.services.corpus import CorpusService, Origin, reload_request_path
from bot.settings import Settings
from retrieval.engine import Engine
from retrieval.models import Answer
from tests.conftest import SEEDS

QUESTION = "Who is Ricardo Vaz?"
ORIGIN = Origin(interface="cli")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def make_service(engine: Engine, corpus_dir: Path, **settings: object) -> CorpusService:
    return CorpusService(Settings(corpus_dir=corpus_dir, **settings), engine, None)


def change_corpus(corpus_dir: Path) -> None:
    (corpus_dir / "extra.txt").write_text("Port Of Nowhere\n\nThe port of Nowhere was rebuilt in 2024.\n")


async def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.01)


async def test_a_question_keeps_its_engine_across_a_reload(
    seed_engine: Engine, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service(seed_engine, corpus_dir)
    started, release = threading.Event(), threading.Event()
    original = Engine.ask

    def held(self: Engine, question: str) -> Answer:
        if self is seed_engine:
            started.set()
            release.wait(5)
        return original(self, question)

    monkeypatch.setattr(Engine, "ask", held)
    asking = asyncio.create_task(service.ask(QUESTION, ORIGIN))
    assert await asyncio.to_thread(started.wait, 5)
    change_corpus(corpus_dir)
    old, new = await service.reload()
    assert old == seed_engine.version != new == service.engine.version
    release.set()
    served = await asking
    assert served.answer.answered and served.answer.corpus_version == old
    assert (await service.ask(QUESTION, ORIGIN)).answer.corpus_version == new


@pytest.mark.parametrize("breakage", ["emptied", "removed"])
async def test_a_failed_reload_keeps_the_old_engine(seed_engine: Engine, corpus_dir: Path, breakage: str) -> None:
    service = make_service(seed_engine, corpus_dir)
    for path in corpus_dir.iterdir():
        path.unlink()
    if breakage == "removed":
        corpus_dir.rmdir()
    with pytest.raises((ValueError, FileNotFoundError)):
        await service.reload()
    assert service.engine is seed_engine
    assert (await service.ask(QUESTION, ORIGIN)).answer.answered


@pytest.fixture
def fast_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "WATCH_INTERVAL_SECONDS", 0.01)


@pytest.mark.usefixtures("fast_watch")
async def test_watch_reloads_when_asked_and_ignores_corpus_edits_unless_watching(
    seed_engine: Engine, corpus_dir: Path
) -> None:
    service = make_service(seed_engine, corpus_dir, watch_corpus=False)
    watcher = asyncio.create_task(service.watch())
    try:
        change_corpus(corpus_dir)
        await asyncio.sleep(0.1)  # ten polls
        assert service.engine is seed_engine
        request = reload_request_path(service.settings)
        request.parent.mkdir(parents=True, exist_ok=True)
        request.write_text("please\n")
        await eventually(lambda: service.engine is not seed_engine)
        assert len(service.engine.corpus.documents) == 4
    finally:
        watcher.cancel()


@pytest.mark.usefixtures("fast_watch")
async def test_watch_corpus_follows_the_folder_and_survives_a_broken_one(seed_engine: Engine, corpus_dir: Path) -> None:
    service = make_service(seed_engine, corpus_dir, watch_corpus=True)
    watcher = asyncio.create_task(service.watch())
    try:
        change_corpus(corpus_dir)
        await eventually(lambda: len(service.engine.corpus.documents) == 4)
        grown = service.engine
        for path in corpus_dir.iterdir():
            path.unlink()
        await asyncio.sleep(0.1)  # the failed reload is logged, the watcher keeps polling
        assert service.engine is grown and not watcher.done()
        change_corpus(corpus_dir)
        await eventually(lambda: len(service.engine.corpus.documents) == 1)
    finally:
        watcher.cancel()


async def test_channel_settings_are_cached_and_a_change_is_seen_at_once(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.settings import Settings

    service = await CorpusService.start(Settings(database_path=tmp_path / "db.sqlite3"))
    try:
        first = await service.channel_config(1, 2)
        assert first.enabled
        calls = 0
        original = service.database.channels.get

        async def counting(guild_id: int, channel_id: int):
            nonlocal calls
            calls += 1
            return await original(guild_id, channel_id)

        service.database.channels.get = counting  # type: ignore[method-assign]
        assert (await service.channel_config(1, 2)).enabled and calls == 0  # served from memory
        await service.set_channel_config(replace(first, enabled=False))
        assert not (await service.channel_config(1, 2)).enabled
        assert not (await original(1, 2)).enabled  # and stored
    finally:
        await service.close()


async def test_a_channel_with_logging_off_stores_counts_but_never_text_or_author(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.records import ChannelConfig, LogFilter

    db_path = tmp_path / "db.sqlite3"
    service = await CorpusService.start(Settings(database_path=db_path))
    try:
        await service.set_channel_config(replace(ChannelConfig(1, 10), log_questions=False))
        await service.ask("my private secret question about Ricardo Vaz", Origin("slash", 1, 10, 7))
        await service.ask("same channel id, other guild", Origin("slash", 2, 10, 7))
        await service.ask("logged channel question", Origin("slash", 1, 11, 7))
        await service.timeline("Maduro", None, None, Origin("timeline", 1, 10, 7))
        assert service.database is not None
        await service.database.writer.flush()
        rows = await service.database.questions.fetch(LogFilter(oldest_first=True))
        assert [(r.guild_id, r.channel_id, r.question, r.user_id) for r in rows] == [
            (1, 10, None, None),
            (2, 10, "same channel id, other guild", 7),
            (1, 11, "logged channel question", 7),
            (1, 10, None, None),
        ]
        assert rows[0].score is not None and rows[0].corpus_version and rows[3].interface == "timeline"
        assert (await service.database.stats.of_guild(1, channel_id=10)).total == 2
    finally:
        await service.close()
    stored = db_path.read_bytes()  # closing checkpoints the WAL into the main file
    assert b"private secret" not in stored and b"logged channel" in stored
