"""End to end: reloading the corpus of a running bot — /reload, `corpusbot reload`, the corpus watcher."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.discord.app import CorpusBot
from bot.services import corpus as service_module
from retrieval.engine import Engine
from retrieval.models import Answer
from tests.bot.conftest import bot_settings
from tests.conftest import SEEDS, eventually
from tests.fakediscord import FakeDiscord, FakeUser, StoredMessage, connected

NEW_TITLE = "Lighthouse Reopens On Isla Margarita"
NEW_DOCUMENT = f"""date 2026-01-20

{NEW_TITLE}

The restored lighthouse at Punta Ballena on Isla Margarita reopened on Tuesday after a two-year \
renovation led by engineer Rosalba Quintero.

Local fishermen said the beacon would make night crossings to the mainland safer.
"""
NEW_QUESTION = "Who led the renovation of the lighthouse at Punta Ballena?"
NEW_FACT = "renovation led by engineer Rosalba Quintero"
SEED_QUESTION = "Who is Ricardo Vaz?"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def add_document(corpus_dir: Path) -> None:
    (corpus_dir / "100_lighthouse.txt").write_text(NEW_DOCUMENT, encoding="utf-8")


@pytest.fixture
async def corpus_bot(fake_discord: FakeDiscord, corpus_dir: Path) -> AsyncIterator[CorpusBot]:
    """A connected bot answering from ``corpus_dir``; ``mod_user`` is a configured admin."""
    bot = CorpusBot(bot_settings(corpus_dir=corpus_dir, admin_ids=[fake_discord.mod_user.id]))
    async with connected(bot, fake_discord):
        yield bot
    fake_discord.assert_clean()


async def run(
    fake: FakeDiscord, name: str, options: dict[str, object] | None = None, user: FakeUser | None = None
) -> StoredMessage:
    return await (await fake.send_command(name, options, user=user)).wait_for_answer()


def text_of(message: StoredMessage) -> str:
    return message.text().replace("**", "")


def footer(message: StoredMessage) -> str:
    return message.embeds[0]["footer"]["text"]


async def test_reload_adds_a_document_and_changes_the_corpus_version(
    corpus_bot: CorpusBot, fake_discord: FakeDiscord, corpus_dir: Path
) -> None:
    old = corpus_bot.services.corpus.engine.version
    before = await run(fake_discord, "ask", {"question": NEW_QUESTION})
    assert NEW_FACT not in text_of(before) and f"corpus {old[:8]}" in footer(before)

    add_document(corpus_dir)
    reloaded = await run(fake_discord, "reload", user=fake_discord.owner_user)
    new = corpus_bot.services.corpus.engine.version
    assert new != old and reloaded.ephemeral
    assert f"`{old[:8]}` → `{new[:8]}`" in reloaded.content and "3 documents → 4 documents" in reloaded.content

    after = await run(fake_discord, "ask", {"question": NEW_QUESTION})
    assert NEW_FACT in text_of(after) and f"corpus {new[:8]}" in footer(after)
    sources = await run(fake_discord, "sources")
    assert NEW_TITLE in sources.text() and f"corpus {new[:8]}" in footer(sources)


async def test_a_configured_admin_may_reload(corpus_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    reloaded = await run(fake_discord, "reload", user=fake_discord.mod_user)
    assert reloaded.ephemeral and "unchanged" in reloaded.content and "3 documents" in reloaded.content


async def test_non_admins_are_refused(corpus_bot: CorpusBot, fake_discord: FakeDiscord, corpus_dir: Path) -> None:
    old = corpus_bot.services.corpus.engine
    add_document(corpus_dir)
    refused = await run(fake_discord, "reload", user=fake_discord.member_user)
    assert refused.ephemeral and "Only the bot's owner and its admins" in refused.content
    assert corpus_bot.services.corpus.engine is old


async def test_a_failed_reload_keeps_the_old_corpus(
    corpus_bot: CorpusBot, fake_discord: FakeDiscord, corpus_dir: Path
) -> None:
    old = corpus_bot.services.corpus.engine
    for path in corpus_dir.iterdir():
        path.unlink()
    failed = await run(fake_discord, "reload", user=fake_discord.owner_user)
    assert failed.ephemeral and "could not be reloaded" in failed.content
    assert f"still answering from corpus `{old.version[:8]}` (3 documents)" in failed.content
    assert corpus_bot.services.corpus.engine is old
    assert "Ricardo Vaz" in text_of(await run(fake_discord, "ask", {"question": SEED_QUESTION}))


async def test_a_question_in_flight_finishes_on_its_corpus_during_a_reload(
    corpus_bot: CorpusBot, fake_discord: FakeDiscord, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = corpus_bot.services.corpus.engine
    started, release = threading.Event(), threading.Event()
    original = Engine.ask

    def held(self: Engine, question: str) -> Answer:
        if self is old:
            started.set()
            release.wait(5)
        return original(self, question)

    monkeypatch.setattr(Engine, "ask", held)
    asked = await fake_discord.send_command("ask", {"question": SEED_QUESTION})
    assert await asyncio.to_thread(started.wait, 5)
    add_document(corpus_dir)
    reloaded = await run(fake_discord, "reload", user=fake_discord.owner_user)
    assert "4 documents" in reloaded.content and not asked.messages  # reloaded while the question waits
    release.set()
    answer = await asked.wait_for_answer()
    assert "Ricardo Vaz" in text_of(answer) and f"corpus {old.version[:8]}" in footer(answer)
    assert corpus_bot.services.activity.count == 0


@pytest.mark.usefixtures("restore_logging")
async def test_corpusbot_reload_tells_the_running_bot(
    fake_discord: FakeDiscord,
    corpus_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(service_module, "WATCH_INTERVAL_SECONDS", 0.05)
    monkeypatch.setenv("CORPUSBOT_CORPUS_DIR", str(corpus_dir))  # the same settings for both "processes"
    bot = CorpusBot(bot_settings())
    async with connected(bot, fake_discord):
        old = bot.services.corpus.engine.version
        add_document(corpus_dir)
        assert await asyncio.to_thread(main, ["reload"]) == 0
        assert "4 documents" in capsys.readouterr().out
        await eventually(lambda: bot.services.corpus.engine.version != old)
        assert NEW_TITLE in (await run(fake_discord, "sources")).text()


async def test_watch_corpus_reloads_on_a_file_change(
    fake_discord: FakeDiscord, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_module, "WATCH_INTERVAL_SECONDS", 0.05)
    bot = CorpusBot(bot_settings(corpus_dir=corpus_dir, watch_corpus=True))
    async with connected(bot, fake_discord):
        old = bot.services.corpus.engine.version
        add_document(corpus_dir)
        await eventually(lambda: bot.services.corpus.engine.version != old)
        assert NEW_FACT in text_of(await run(fake_discord, "ask", {"question": NEW_QUESTION}))
