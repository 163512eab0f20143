"""Shutdown: a real `corpusbot run` process stops cleanly on SIGTERM/SIGINT; close() waits for answers in flight."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from bot.discord.app import CorpusBot
from retrieval.engine import Engine
from retrieval.models import Answer
from tests.bot.conftest import bot_settings
from tests.fakediscord import FakeDiscord, connected, running_fake_discord

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "OTk5.Xy.shutdown-test-token-never-logged"
QUESTION = "Who is Steve Ellner?"


async def stop_after_one_answer(tmp_path: Path, signum: signal.Signals, log_format: str) -> tuple[int, str]:
    """Start the bot, ask once, send ``signum``; return the exit code and the process log."""
    env = {**os.environ, "CORPUSBOT_DISCORD_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    log_path = tmp_path / "process.log"
    async with running_fake_discord(token=TOKEN) as fake:
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.bot.discord.run_on_fake",
                fake.base_url,
                str(fake.gateway_url),
                "--log-format",
                log_format,
                "run",
                cwd=tmp_path,  # no .env from the checkout
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
            try:
                await fake.wait_until_ready(timeout=30)
                interaction = await fake.send_command("ask", {"question": QUESTION})
                answer = await interaction.wait_for_answer(timeout=10)
                assert "Latin American Perspectives" in answer.text().replace("**", "")
                process.send_signal(signum)
                code = await asyncio.wait_for(process.wait(), 10)
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
    return code, log_path.read_text(encoding="utf-8")


def logged_questions(database: Path) -> list[str]:
    """Open the database afresh, as the next start would, and check it is intact."""
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in db.execute("SELECT question FROM queries")]


@pytest.mark.parametrize(("signum", "log_format"), [(signal.SIGTERM, "text"), (signal.SIGINT, "json")])
async def test_a_signal_shuts_down_cleanly_and_keeps_the_last_question(
    tmp_path: Path, isolated_settings: Path, signum: signal.Signals, log_format: str
) -> None:
    code, process_log = await stop_after_one_answer(tmp_path, signum, log_format)
    assert code == 0, process_log
    assert "signal received; shutting down" in process_log
    assert TOKEN not in process_log
    assert logged_questions(isolated_settings) == [QUESTION]
    if log_format == "json":
        entries = [json.loads(line) for line in process_log.splitlines() if line.strip()]
        assert all({"ts", "level", "logger", "message"} <= entry.keys() for entry in entries)
        answered = next(e for e in entries if e["message"].startswith("answered="))
        assert (
            answered["logger"] == "bot.services.corpus" and {"guild_id", "channel_id", "latency_ms"} <= answered.keys()
        )


async def test_close_waits_for_an_answer_in_flight(
    fake_discord: FakeDiscord, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    original = Engine.ask

    def held(self: Engine, question: str) -> Answer:
        started.set()
        release.wait(5)
        return original(self, question)

    monkeypatch.setattr(Engine, "ask", held)
    bot = CorpusBot(bot_settings())
    async with connected(bot, fake_discord):
        asked = await fake_discord.send_command("ask", {"question": QUESTION})
        assert await asyncio.to_thread(started.wait, 5)
        closing = asyncio.create_task(bot.close())
        with pytest.raises(TimeoutError):  # shutdown is waiting for the question
            await asyncio.wait_for(asyncio.shield(closing), 0.2)
        assert bot.services.activity.count == 1
        release.set()
        await closing
    assert "Latin American Perspectives" in asked.messages[0].text().replace("**", "")
    assert logged_questions(isolated_settings) == [QUESTION]
    fake_discord.assert_clean()
