"""Load through the fake Discord against the real bot.

    python -m tests.load_discord [--interactions 500] [--channels 20] [--json]

Sends /ask interactions over many channels as fast as the fake can, and reports acknowledgement
and answer latency, the longest event-loop stall, and whether every question reached the log. Then
the same with the database made unwritable halfway: every question must still be answered.
Not part of the test suite's timing: `tests/bot/test_load.py` runs a small version for correctness.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.discord.app import CorpusBot
from bot.settings import Settings
from retrieval.evaluation.answers import read_cases
from tests.fakediscord import FakeDiscord, patched_discord
from tests.fakediscord.world import FakeChannel

QUESTIONS = Path(__file__).resolve().parent / "data" / "dev_questions.jsonl"
STALL_TICK = 0.005


@dataclass
class LoadReport:
    interactions: int
    channels: int
    database_broken_halfway: bool
    ack_p50_ms: float
    ack_p99_ms: float
    ack_max_ms: float
    answer_p50_ms: float
    answer_p99_ms: float
    longest_stall_ms: float
    answered: int
    late_or_failed: int
    rows_logged: int
    failed_writes: int
    wall_s: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class StallMonitor:
    """Measures how late the event loop runs a task that asks to wake every few milliseconds."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(STALL_TICK)
            self.longest = max(self.longest, time.perf_counter() - before - STALL_TICK)

    def __enter__(self) -> StallMonitor:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


class FakeInThread:
    """The fake Discord on its own thread and event loop, so its work (schema validation of every
    request) does not count as the bot's event-loop stalls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fake-discord", daemon=True)
        self.fake = FakeDiscord()

    async def call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self.loop))

    async def __aenter__(self) -> FakeInThread:
        self._thread.start()
        await self.call(self.fake.start())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.call(self.fake.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _add_channels(fake: FakeDiscord, count: int) -> list[FakeChannel]:
    """Give guild A ``count`` text channels before the bot connects (GUILD_CREATE lists them)."""
    guild = fake.guild_a
    while len(guild.channels) < count:
        guild.channels.append(
            FakeChannel(fake.snowflake(), f"load-{len(guild.channels)}", guild.id, position=len(guild.channels))
        )
    return guild.channels[:count]


def _request_times(fake: FakeDiscord, interaction_id: int, token: str) -> tuple[float | None, float | None]:
    """When the bot acknowledged the interaction, and when its answer (follow-up or edit) arrived."""
    ack = answer = None
    for request in fake.requests:
        if f"/interactions/{interaction_id}/" in request.path and request.status < 300:
            ack = request.at if ack is None else ack
        elif token in request.path and request.status < 300 and answer is None:
            answer = request.at
    return ack, answer


async def run_load(
    interactions: int, channels: int, *, break_database: bool, workdir: Path, validate: bool = True
) -> LoadReport:
    """One load run against a fresh bot; ``break_database`` makes the log unwritable halfway.

    ``validate=False`` skips the fake's OpenAPI validation of each request: the fake shares the
    process (and the GIL) with the bot, so its validation work shows up as the bot's stalls.
    """
    database_dir = workdir / ("broken" if break_database else "ok")
    settings = Settings(cooldown_seconds=0, database_path=database_dir / "corpusbot.sqlite3")
    questions = [case.question for case in read_cases(QUESTIONS)]
    async with FakeInThread() as threaded:
        fake = threaded.fake
        if not validate:
            fake.spec.validate = lambda *args: None
        targets = _add_channels(fake, channels)
        bot = CorpusBot(settings)
        bot._connection.guild_ready_timeout = 0.05
        with patched_discord(fake):
            runner = asyncio.create_task(bot.start(fake.token))
            await asyncio.wait_for(bot.wait_until_ready(), 15)
            started = time.perf_counter()
            with StallMonitor() as stalls:
                records, answers = [], []
                half = interactions // 2
                for first, last in ((0, half), (half, interactions)):
                    if break_database and first == half:
                        await bot.services.database.writer.flush()
                        shutil.rmtree(database_dir)
                        database_dir.write_text("not a directory any more")
                    batch = await asyncio.gather(
                        *(
                            threaded.call(
                                fake.send_command(
                                    "ask",
                                    {"question": questions[n % len(questions)]},
                                    channel=targets[n % len(targets)],
                                )
                            )
                            for n in range(first, last)
                        )
                    )
                    records += batch
                    answers += await asyncio.gather(
                        *(threaded.call(r.wait_for_answer(timeout=60)) for r in batch), return_exceptions=True
                    )
            wall = time.perf_counter() - started
            await bot.services.database.writer.flush()
            failed_writes = bot.services.database.writer.failed_writes
            rows = (
                await bot.services.database.questions.count()
                if not break_database
                else bot.services.database.writer.written
            )
            await bot.close()
            await runner
        acks, finishes = [], []
        for record in records:
            ack, answer = _request_times(fake, record.id, record.token)
            if ack is not None:
                acks.append(ack - record.sent_at)
            if answer is not None:
                finishes.append(answer - record.sent_at)
        late = sum(1 for r in fake.requests if r.error_code in (10062, 40060)) + sum(
            isinstance(a, BaseException) for a in answers
        )
    return LoadReport(
        interactions=interactions,
        channels=channels,
        database_broken_halfway=break_database,
        ack_p50_ms=round(statistics.median(acks) * 1000, 1) if acks else 0.0,
        ack_p99_ms=round(_percentile(acks, 0.99) * 1000, 1),
        ack_max_ms=round(max(acks, default=0.0) * 1000, 1),
        answer_p50_ms=round(statistics.median(finishes) * 1000, 1) if finishes else 0.0,
        answer_p99_ms=round(_percentile(finishes, 0.99) * 1000, 1),
        longest_stall_ms=round(stalls.longest * 1000, 1),
        answered=sum(not isinstance(a, BaseException) for a in answers),
        late_or_failed=late,
        rows_logged=rows,
        failed_writes=failed_writes,
        wall_s=round(wall, 2),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=500)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-validate", action="store_true", help="skip the fake's schema validation")
    args = parser.parse_args()

    async def both() -> list[LoadReport]:
        with tempfile.TemporaryDirectory() as tmp:
            return [
                await run_load(
                    args.interactions,
                    args.channels,
                    break_database=broken,
                    workdir=Path(tmp),
                    validate=not args.no_validate,
                )
                for broken in (False, True)
            ]

    reports = asyncio.run(both())
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2))
        return
    for report in reports:
        title = "database made unwritable halfway" if report.database_broken_halfway else "healthy database"
        print(f"\n{report.interactions} /ask over {report.channels} channels — {title}")
        print(f"  ack latency     p50 {report.ack_p50_ms} ms · p99 {report.ack_p99_ms} ms · max {report.ack_max_ms} ms")
        print(f"  answer latency  p50 {report.answer_p50_ms} ms · p99 {report.answer_p99_ms} ms")
        print(f"  longest event-loop stall {report.longest_stall_ms} ms · wall {report.wall_s} s")
        print(f"  answered {report.answered}/{report.interactions} · late or failed {report.late_or_failed}")
        print(f"  log rows written {report.rows_logged} · failed writes {report.failed_writes}")


if __name__ == "__main__":
    main()
