"""CorpusService reloads: questions keep their engine, failures keep the old one, the watcher reloads on request."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest

from bot.errors import CorpusUnreadable
from bot.services import corpus as service_module
from bot.services.corpus import CorpusService
from bot.services.recording import Origin
from bot.services.watching import WatchState, reload_request_path
from bot.settings import Settings
from retrieval.engine import Engine
from retrieval.models import Answer
from tests.conftest import SEEDS, eventually

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
    old, new, _, new_documents = await service.reload()
    assert new_documents == 4
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
    with pytest.raises(CorpusUnreadable):
        await service.reload()
    assert service.engine is seed_engine
    assert (await service.ask(QUESTION, ORIGIN)).answer.answered


class Polls:
    """Counts the watcher's looks at the folder, so a test can wait for "ten polls" instead of sleeping."""

    def __init__(self) -> None:
        self.count = 0

    async def more(self, polls: int) -> None:
        """Wait until the watcher has looked ``polls`` more times."""
        target = self.count + polls
        await eventually(lambda: self.count >= target)


@pytest.fixture
def fast_watch(monkeypatch: pytest.MonkeyPatch) -> Polls:
    monkeypatch.setattr(service_module, "WATCH_INTERVAL_SECONDS", 0.01)
    polls = Polls()
    looked = service_module.watch_state

    def counted(settings: Settings) -> WatchState:
        polls.count += 1
        return looked(settings)

    monkeypatch.setattr(service_module, "watch_state", counted)
    return polls


async def test_watch_reloads_when_asked_and_ignores_corpus_edits_unless_watching(
    seed_engine: Engine, corpus_dir: Path, fast_watch: Polls
) -> None:
    service = make_service(seed_engine, corpus_dir, watch_corpus=False)
    watcher = asyncio.create_task(service.watch())
    try:
        change_corpus(corpus_dir)
        await fast_watch.more(10)
        assert service.engine is seed_engine
        request = reload_request_path(service.settings)
        request.parent.mkdir(parents=True, exist_ok=True)
        request.write_text("please\n")
        await eventually(lambda: service.engine is not seed_engine)
        assert len(service.engine.corpus.documents) == 4
    finally:
        watcher.cancel()


async def test_watch_corpus_follows_the_folder_and_survives_a_broken_one(
    seed_engine: Engine, corpus_dir: Path, fast_watch: Polls
) -> None:
    service = make_service(seed_engine, corpus_dir, watch_corpus=True)
    watcher = asyncio.create_task(service.watch())
    try:
        change_corpus(corpus_dir)
        await eventually(lambda: len(service.engine.corpus.documents) == 4)
        grown = service.engine
        for path in corpus_dir.iterdir():
            path.unlink()
        await fast_watch.more(10)  # the failed reload is logged, the watcher keeps polling
        assert service.engine is grown and not watcher.done()
        change_corpus(corpus_dir)
        await eventually(lambda: len(service.engine.corpus.documents) == 1)
    finally:
        watcher.cancel()
