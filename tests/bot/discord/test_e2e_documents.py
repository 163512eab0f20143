"""End to end: a running bot keeps a heartbeat, and names the files its corpus skipped in /sources and /reload."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.discord.app import CorpusBot
from bot.health import heartbeat_path
from tests.bot.conftest import bot_settings
from tests.conftest import SEEDS
from tests.fakediscord import FakeDiscord, connected

pytestmark = pytest.mark.usefixtures("restore_logging")


async def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.02)


async def test_the_running_bot_writes_a_heartbeat_that_check_health_reads(
    fake_discord: FakeDiscord, isolated_settings: Path
) -> None:
    path = heartbeat_path(isolated_settings)
    bot = CorpusBot(bot_settings())
    async with connected(bot, fake_discord):
        await eventually(path.exists)
        beat = json.loads(path.read_text(encoding="utf-8"))
        assert beat["gateway_connected"] and beat["last_event_at"] is not None  # READY, GUILD_CREATE …
        assert beat["corpus_version"] == bot.services.corpus.version
        assert await asyncio.to_thread(main, ["check", "--health"]) == 0
    assert not path.exists()  # a cleanly stopped bot leaves no heartbeat: check --health says it is not running
    assert main(["check", "--health"]) == 1
    fake_discord.assert_clean()


async def test_sources_and_reload_name_the_skipped_files(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (corpus_dir / "notes.docx").write_bytes(b"PK\x03\x04")
    bot = CorpusBot(bot_settings(corpus_dir=corpus_dir, admin_ids=[fake_discord.mod_user.id]))
    async with connected(bot, fake_discord):
        sources = await (await fake_discord.send_command("sources")).wait_for_answer()
        footer = sources.embeds[0]["footer"]["text"]
        assert "1 file skipped: notes.docx (unsupported kind (.docx); accepted: .txt, .md" in footer
        (corpus_dir / "empty.md").write_text("  \n", encoding="utf-8")
        command = await fake_discord.send_command("reload", user=fake_discord.mod_user)
        reloaded = await command.wait_for_answer()
        assert "2 files skipped: empty.md (it is empty); notes.docx (unsupported kind" in reloaded.content
    fake_discord.assert_clean()
