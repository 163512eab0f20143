"""End to end, scaled out: two real `corpusbot run` processes (shards 0 and 1 of 2) on one PostgreSQL.

The fake Discord routes guild A to shard 0 and guild B to shard 1, as Discord would. Checked: both
shards answer and log their own guilds; a moderator on either shard sees exactly their guild's rows; a
/config change made through shard 0 holds in shard 1's process within a second; 2000 questions spread
over both shards lose no row. Figures are printed (``pytest -s``) for the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.i18n import say
from bot.records import LogFilter
from bot.store import Database
from tests.fakediscord import FakeChannel, FakeDiscord, InteractionRecord, running_fake_discord

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "OTk5.Xy.shard-test-token"
QUESTIONS = {"a": "Who is Ricardo Vaz?", "b": "Who is Steve Ellner?"}
LOAD_QUESTIONS = 2000
WAVE = 20  # interactions in flight at once: two bot processes on a small shared machine stay within 3 s
CONFIG_COHERENT_WITHIN = 1.0


@contextlib.asynccontextmanager
async def shard_processes(fake: FakeDiscord, url: str, workdir: Path) -> AsyncIterator[list[Path]]:
    """Start shards 0 and 1 of 2 as separate processes; yield their log files; SIGTERM them after."""
    processes, logs = [], []
    try:
        for shard in (0, 1):
            log_path = workdir / f"shard-{shard}.log"
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "CORPUSBOT_DISCORD_TOKEN": TOKEN,
                "CORPUSBOT_DATABASE_URL": url,
                "CORPUSBOT_SHARD_COUNT": "2",
                "CORPUSBOT_SHARD_IDS": str(shard),
                "CORPUSBOT_COOLDOWN_SECONDS": "0",
            }
            with log_path.open("wb") as log:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        *(sys.executable, "-m", "tests.bot.discord.run_on_fake", fake.base_url, str(fake.gateway_url)),
                        *("--log-format", "json", "run"),
                        cwd=workdir,
                        env=env,
                        stdin=asyncio.subprocess.DEVNULL,
                        stdout=log,
                        stderr=log,
                    )
                )
            logs.append(log_path)
        await fake.wait_until_ready(timeout=90, shards=2)
        await fake.wait_for(lambda: bool(fake.commands()), timeout=30)  # synced: commands can be sent
        yield logs
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(process.wait(), 20) for process in processes]
        assert codes == [0, 0], [path.read_text()[-3000:] for path in logs]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()


def quotes_the_corpus(text: str) -> bool:
    """An answer proper: a verbatim quote with its line-level citation (not a refusal or an error)."""
    return "\n> " in text and ".txt#L" in text


def answered_guilds(log: Path) -> set[int]:
    """Guilds whose questions this process answered, from its JSON process log."""
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return {e["guild_id"] for e in entries if e["message"].startswith("answered=")}


async def ask(fake: FakeDiscord, channel: FakeChannel, question: str, shard: int | None = None) -> InteractionRecord:
    return await fake.send_command("ask", {"question": question}, channel=channel, user=fake.member_user, shard=shard)


async def moderator_sees(fake: FakeDiscord, channel: FakeChannel) -> str:
    shown = await fake.send_command("logs show", {}, channel=channel, user=fake.mod_user)
    return (await shown.wait_for_answer(timeout=15)).text()


async def config_coherence(fake: FakeDiscord) -> float:
    """Seconds from shard 0 confirming /config (bot off in A1) to shard 1 refusing a question there."""
    changed = await fake.send_command("config", {"enabled": False}, channel=fake.channel_a1, user=fake.mod_user)
    await changed.wait_for_answer(timeout=15)
    confirmed = time.monotonic()
    while True:
        reply = await (await ask(fake, fake.channel_a1, QUESTIONS["a"], shard=1)).wait_for_answer(timeout=15)
        elapsed = time.monotonic() - confirmed
        if say("disabled") in reply.text():
            break
        assert elapsed < CONFIG_COHERENT_WITHIN, "shard 1 still answers in a channel shard 0 turned off"
        await asyncio.sleep(0.02)
    restored = await fake.send_command("config", {"enabled": True}, channel=fake.channel_a1, user=fake.mod_user)
    await restored.wait_for_answer(timeout=15)
    return elapsed


async def load(fake: FakeDiscord) -> tuple[float, int]:
    """2000 questions alternating between the guilds' channels; returns (seconds, answers received)."""
    channels = [fake.channel_a1, fake.channel_b1, fake.channel_a2, fake.channel_b2]
    started = time.perf_counter()
    answered = 0
    for first in range(0, LOAD_QUESTIONS, WAVE):
        sent = [
            await ask(fake, channels[n % len(channels)], f"{QUESTIONS['ab'[n % 2]]} #{n}")
            for n in range(first, min(first + WAVE, LOAD_QUESTIONS))
        ]
        answers = await asyncio.gather(*(record.wait_for_answer(timeout=30) for record in sent))
        answered += sum(1 for answer in answers if quotes_the_corpus(answer.text()))
    return time.perf_counter() - started, answered


async def test_two_shard_processes_share_one_postgres(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_fake_discord(token=TOKEN, shard_count=2) as fake:
        # The fake's schema checks are proven elsewhere; here they would only slow the load (the spec is shared).
        monkeypatch.setattr(fake.spec, "validate", lambda *args: None)
        async with shard_processes(fake, postgres_url, tmp_path) as logs:
            for key, channel in (("a", fake.channel_a1), ("b", fake.channel_b1)):
                answer = await (await ask(fake, channel, QUESTIONS[key])).wait_for_answer(timeout=15)
                assert quotes_the_corpus(answer.text())

            coherent_after = await config_coherence(fake)
            load_seconds, answered = await load(fake)
            assert answered == LOAD_QUESTIONS

            seen_in_a = await moderator_sees(fake, fake.channel_a2)
            seen_in_b = await moderator_sees(fake, fake.channel_b2)
        fake.assert_clean()

    assert answered_guilds(logs[0]) == {fake.guild_a.id}
    assert fake.guild_b.id in answered_guilds(logs[1]) <= {fake.guild_a.id, fake.guild_b.id}
    async with await Database.open(postgres_url) as database:
        in_a = await database.questions.count(LogFilter(guild_id=fake.guild_a.id))
        in_b = await database.questions.count(LogFilter(guild_id=fake.guild_b.id))
        total = await database.questions.count()
    # A: its first question, the refused ones were never asked, half the load; B: its first question, half the load.
    assert (in_b, total - in_a - in_b) == (1 + LOAD_QUESTIONS // 2, 0)
    assert in_a >= 1 + LOAD_QUESTIONS // 2  # plus any asked through shard 1 before the change reached it
    assert f"{in_a} questions" in seen_in_a and "Ellner" not in seen_in_a and "Ricardo" in seen_in_a
    assert f"{in_b} questions" in seen_in_b and "Ricardo" not in seen_in_b and "Ellner" in seen_in_b
    print(
        f"\ntwo shards on PostgreSQL: /config coherent after {coherent_after * 1000:.0f} ms; "
        f"{LOAD_QUESTIONS} questions in {load_seconds:.1f} s ({LOAD_QUESTIONS / load_seconds:.0f}/s, "
        f"{WAVE} in flight), {total} rows stored, 0 lost"
    )
