"""B2: erased questions leave no copy in the database file, its WAL or the journal — after the retention
purge, after /forget-me, and after the process is killed right after /forget-me."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

from bot.records import LogEntry, utc_now
from bot.store import Database
from tests.bot.discord.test_e2e_privacy import button
from tests.fakediscord import FakeDiscord, patched_discord
from tests.load_discord import TOKEN, BotProcess

MARK = "zqxjerasuremark"


def copies_on_disk(database: Path, mark: str = MARK) -> dict[str, int]:
    """How many times ``mark`` appears in the raw bytes of the database and every file beside it."""
    return {
        path.name: path.read_bytes().count(mark.encode())
        for path in sorted(database.parent.iterdir())
        if path.is_file() and path.name.startswith(database.name)
    }


def entry(n: int, *, user_id: int, days_ago: float = 0) -> LogEntry:
    return LogEntry(
        interface="slash",
        question=f"{MARK} question {n}",
        answered=False,
        reason=f"does not mention '{MARK}'",
        latency_ms=1,
        corpus_version="v1",
        guild_id=1,
        channel_id=2,
        user_id=user_id,
        ts=utc_now() - timedelta(days=days_ago),
    )


async def fill(database: Database, entries: list[LogEntry]) -> None:
    for item in entries:
        await database.writer.record(item)
    await database.writer.flush()


async def test_the_retention_purge_leaves_no_copy(tmp_path: Path) -> None:
    path = tmp_path / "data" / "corpusbot.sqlite3"
    database = await Database.open(path)
    await fill(database, [entry(n, user_id=7, days_ago=100) for n in range(50)])
    await fill(database, [LogEntry(interface="slash", question="recent", answered=True, latency_ms=1)])
    assert sum(copies_on_disk(path).values()) >= 50
    assert await database.purge_older_than(90) == 50
    assert sum(copies_on_disk(path).values()) == 0, copies_on_disk(path)
    await database.close()
    assert sum(copies_on_disk(path).values()) == 0


async def test_forget_me_leaves_no_copy_even_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "data" / "corpusbot.sqlite3"
    database = await Database.open(path)
    await fill(database, [entry(n, user_id=7) for n in range(15)])
    await database.forget_user(7)
    await fill(database, [LogEntry(interface="slash", question=f"other {n}", answered=True) for n in range(100)])
    assert sum(copies_on_disk(path).values()) == 0, copies_on_disk(path)
    await database.close()


async def test_forget_me_then_sigkill_leaves_no_copy(tmp_path: Path) -> None:
    database = tmp_path / "data" / "corpusbot.sqlite3"
    fake = FakeDiscord(token=TOKEN)
    await fake.start()
    try:
        bot = BotProcess(fake, tmp_path, {"CORPUSBOT_DATABASE_PATH": str(database), "CORPUSBOT_COOLDOWN_SECONDS": "0"})
        with patched_discord(fake):
            await bot.start()
            asked = [
                await fake.send_command("ask", {"question": f"{MARK} number {n}?"}, user=fake.member_user)
                for n in range(15)
            ]
            await asyncio.gather(*(record.wait_for_answer(timeout=30) for record in asked))
            assert sum(copies_on_disk(database).values()) >= 15  # in the journal and the database by now
            prompt = await (await fake.send_command("forget-me", user=fake.member_user)).wait_for_answer(timeout=30)
            done = await fake.click(prompt, button(prompt, "Delete my data"), user=fake.member_user)
            confirmation = await done.wait_for_answer(timeout=30)
            assert "15" in confirmation.text()
            await bot.stop(signal.SIGKILL)
    finally:
        await fake.close()
    assert sum(copies_on_disk(database).values()) == 0, copies_on_disk(database)
