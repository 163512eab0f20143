"""`corpusbot db migrate`, `corpusbot db copy` (SQLite → PostgreSQL) and `corpusbot reload` on a shared database."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.records import ChannelConfig, LogFilter
from bot.services.container import Services
from bot.services.recording import Origin
from bot.settings import Settings
from bot.store import Database
from bot.store.migrations import MIGRATIONS
from tests.conftest import SEEDS

pytestmark = pytest.mark.usefixtures("restore_logging")

GUILD, CHANNEL, USER = 2**60 + 1, 2**60 + 2, 2**60 + 3


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    assert main(list(argv)) == code
    return capsys.readouterr().out


def test_migrate_reports_what_it_applied(capsys: pytest.CaptureFixture[str], postgres_url: str) -> None:
    latest = max(version for version, _, _ in MIGRATIONS)
    applied = ", ".join(str(version) for version, _, _ in MIGRATIONS)
    assert run(capsys, "db", "migrate").endswith(f"schema version {latest} (applied now: {applied})\n")
    assert run(capsys, "db", "migrate").endswith(f"schema version {latest} (already up to date)\n")
    out = run(capsys, "db", "migrate", "--url", postgres_url)
    assert out.startswith("postgresql://") and out.endswith(f"schema version {latest} (applied now: {applied})\n")


async def fill_sqlite(questions: list[str]) -> list[str]:
    """Questions, a vote and a channel setting in the default SQLite database, through the bot's service."""
    services = await Services.start(Settings())
    ids = [(await services.corpus.ask(q, Origin("slash", GUILD, CHANNEL, USER))).answer_id for q in questions]
    await services.recorder.vote(ids[0], USER, up=True)
    await services.channels.set(ChannelConfig(GUILD, CHANNEL, private_by_default=True))
    await services.close()
    return ids


async def snapshot(target: str | Path) -> tuple[list[tuple[object, ...]], ChannelConfig]:
    async with await Database.open(target) as database:
        rows = await database.questions.fetch(LogFilter(limit=None, oldest_first=True))
        config = await database.channels.get(GUILD, CHANNEL)
    return [(r.answer_id, r.ts, r.question, r.sources, r.score, r.user_id, r.votes_up) for r in rows], config


def test_copy_to_postgres_is_complete_verified_and_idempotent(
    capsys: pytest.CaptureFixture[str], postgres_url: str, isolated_settings: Path
) -> None:
    asyncio.run(fill_sqlite(["Who is Ricardo Vaz?", "What happened in Caracas on January 3?", "zzz nothing"]))
    out = run(capsys, "db", "copy", "--to", postgres_url)
    assert "queries         source        3 · destination        0 →        3 (+3) · all present" in out
    assert "votes           source        1 · destination        0 →        1 (+1) · all present" in out
    assert out.rstrip().endswith("verified: every source row is in the destination")
    assert asyncio.run(snapshot(postgres_url)) == asyncio.run(snapshot(isolated_settings))

    asyncio.run(fill_sqlite(["Who is Steve Ellner?"]))  # the bot kept writing to SQLite meanwhile
    out = run(capsys, "db", "copy", "--from", f"sqlite:///{isolated_settings}", "--to", postgres_url)
    assert "queries         source        4 · destination        3 →        4 (+1)" in out
    assert "votes           source        2 · destination        1 →        2 (+1)" in out
    assert asyncio.run(snapshot(postgres_url)) == asyncio.run(snapshot(isolated_settings))
    assert "(+0)" in run(capsys, "db", "copy", "--to", postgres_url).splitlines()[1]


def test_copy_refuses_the_same_database(capsys: pytest.CaptureFixture[str], isolated_settings: Path) -> None:
    assert "same database" in run(capsys, "db", "copy", "--to", f"sqlite:///{isolated_settings}", code=2)


def test_check_names_the_shared_database_without_its_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    with_password = postgres_url.replace("postgres@", "postgres:hunter2@")  # trust auth ignores it
    monkeypatch.setenv("CORPUSBOT_DATABASE_URL", with_password)
    monkeypatch.setenv("CORPUSBOT_SHARD_COUNT", "4")
    monkeypatch.setenv("CORPUSBOT_SHARD_IDS", "2,3")
    out = run(capsys, "check")
    assert "hunter2" not in out and "postgres:***@" in out and "ok · 0 rows" in out
    assert "shards         2, 3 of 4" in out


async def test_reload_reaches_a_bot_on_the_shared_database(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("CORPUSBOT_DATABASE_URL", postgres_url)
    monkeypatch.setenv("CORPUSBOT_CORPUS_DIR", str(corpus))
    services = await Services.start(Settings())
    try:
        before = services.corpus.version
        (corpus / "extra.txt").write_text("Port Of Nowhere\n\nThe port of Nowhere was rebuilt in 2024.\n")
        assert await asyncio.to_thread(main, ["reload"]) == 0
        deadline = asyncio.get_running_loop().time() + 10
        while services.corpus.version == before:
            assert asyncio.get_running_loop().time() < deadline, "the bot did not reload"
            await asyncio.sleep(0.02)
    finally:
        await services.close()
