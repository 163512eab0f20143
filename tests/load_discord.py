"""Load through the fake Discord against the real `corpusbot run` process.

    python -m tests.load_discord [--interactions 2000] [--rate 250] [--kill-after 1500] [--json]

The bot runs as its own process (as in production, so the fake's work does not share its GIL); the
fake runs here. Interactions are sent all at once (no ``--rate``) or paced at ``--rate`` per second.
Reported per run: how many interactions were answered, told "busy", or left without any response
(expired, 10062), second replies attempted on expired interactions, tracebacks in the process log,
the bot's longest event-loop stall (it logs it at shutdown), and whether every answered question
reached the query log. ``--kill-after N`` SIGKILLs the bot once N answers have been delivered, starts
it again (which replays its journal), and counts answered questions missing from the log.
`tests/reliability/test_overload.py` runs small versions in the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import re
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.i18n import say
from retrieval.evaluation.answers import read_cases
from tests.fakediscord import FakeDiscord, InteractionRecord, patched_discord
from tests.fakediscord.world import FakeChannel

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "data" / "dev_questions.jsonl"
TOKEN = "OTk5.load.fake-token"
GUILD_READY_SECONDS = 2.5  # discord.py waits 2 s after the last GUILD_CREATE before it is ready
STALL = re.compile(r"longest event-loop stall (\d+) ms")
CALLBACK_MESSAGE = 4  # an immediate reply (busy, refused): complete without a follow-up
TAG = re.compile(r"\[q\d+\]")


@dataclass
class LoadReport:
    interactions: int
    rate: float | None
    answered: int
    busy: int
    without_response: int
    second_replies: int
    tracebacks: int
    expired_warnings: int
    longest_stall_ms: int | None
    ack_p99_ms: float
    answered_missing_from_log: int
    rows_logged: int
    killed: bool
    wall_s: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class BotProcess:
    """`corpusbot run` pointed at the fake, with its process log in a file."""

    def __init__(self, fake: FakeDiscord, workdir: Path, env: dict[str, str]) -> None:
        self.fake, self.workdir, self.env = fake, workdir, env
        self.log_path = workdir / "process.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                *os.environ.get("LOAD_PROFILE_ARGS", "").split(),
                "-m",
                "tests.bot.discord.run_on_fake",
                self.fake.base_url,
                str(self.fake.gateway_url),
                "run",
                cwd=self.workdir,
                env={**os.environ, "PYTHONPATH": str(ROOT), "CORPUSBOT_DISCORD_TOKEN": TOKEN, **self.env},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        await self.fake.wait_until_ready(timeout=60)
        await asyncio.sleep(GUILD_READY_SECONDS)

    async def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(signum)
        return await asyncio.wait_for(self.process.wait(), 60)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def skip_validation(fake: FakeDiscord) -> None:
    """Turn off this fake's request validation only (the loaded spec is shared by every fake)."""
    fake.spec = copy.copy(fake.spec)
    fake.spec.validate = lambda *args: None  # type: ignore[method-assign]


def add_channels(fake: FakeDiscord, count: int) -> list[FakeChannel]:
    """Give guild A ``count`` text channels before the bot connects (GUILD_CREATE lists them)."""
    guild = fake.guild_a
    while len(guild.channels) < count:
        guild.channels.append(
            FakeChannel(fake.snowflake(), f"load-{len(guild.channels)}", guild.id, position=len(guild.channels))
        )
    return guild.channels[:count]


def is_busy(record: InteractionRecord) -> bool:
    return record.callback_type == CALLBACK_MESSAGE and say("busy") in str(
        (record.callback or {}).get("data", {}).get("content", "")
    )


def logged_questions(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [row[0] for row in conn.execute("SELECT question FROM queries")]


async def send_all(
    fake: FakeDiscord, count: int, rate: float | None, channels: list[FakeChannel], stopped: asyncio.Event
) -> list[InteractionRecord]:
    """Send until done or ``stopped``; each question carries a unique tag ``[qN]`` so the log can be
    checked question by question."""
    questions = [case.question for case in read_cases(QUESTIONS)]

    def send(n: int) -> asyncio.Future[InteractionRecord]:
        question = f"{questions[n % len(questions)]} [q{n}]"
        return asyncio.ensure_future(
            fake.send_command("ask", {"question": question}, channel=channels[n % len(channels)])
        )

    if rate is None:
        return list(await asyncio.gather(*(send(n) for n in range(count))))
    started, pending = time.monotonic(), []
    for n in range(count):
        delay = started + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if stopped.is_set():
            break
        pending.append(send(n))
    return list(await asyncio.gather(*pending))


async def settle(fake: FakeDiscord, records: list[InteractionRecord], timeout: float) -> None:
    """Wait until every interaction is answered, told busy, or past Discord's deadline unanswered."""

    def done(record: InteractionRecord) -> bool:
        if record.callback_type is None:
            return time.monotonic() - record.sent_at > fake.interaction_deadline + 1
        return record.callback_type == CALLBACK_MESSAGE or bool(record.followups)

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(done(r) for r in records):
        await asyncio.sleep(0.2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


async def run_load(
    interactions: int,
    *,
    workdir: Path,
    rate: float | None = None,
    channels: int = 20,
    kill_after: int | None = None,
    env: dict[str, str] | None = None,
    validate: bool = False,
) -> LoadReport:
    """One run against a fresh `corpusbot run` process and database under ``workdir``.

    The fake's OpenAPI validation of every request (about 4 ms each) is off unless ``validate``: it
    would make the fake, not the bot, the bottleneck, and expire interactions the bot acknowledged
    in time. The end-to-end tests validate the same requests."""
    database = workdir / "data" / "corpusbot.sqlite3"
    settings = {"CORPUSBOT_DATABASE_PATH": str(database), "CORPUSBOT_COOLDOWN_SECONDS": "0", **(env or {})}
    fake = FakeDiscord(token=TOKEN)
    if not validate:
        skip_validation(fake)
    targets = add_channels(fake, channels)
    await fake.start()
    try:
        with patched_discord(fake):
            bot = BotProcess(fake, workdir, settings)
            await bot.start()
            started = time.monotonic()
            stopped = asyncio.Event()
            sending = asyncio.create_task(send_all(fake, interactions, rate, targets, stopped))
            killed = False
            if kill_after is not None:
                while _answered(fake) < kill_after:
                    await asyncio.sleep(0.05)
                stopped.set()
                await bot.stop(signal.SIGKILL)
                killed = True
            records = await sending
            if not killed:
                await settle(fake, records, timeout=120 + interactions / 50)
            wall = time.monotonic() - started
            if killed:
                await bot.start()  # replays the journal
            await bot.stop()
    finally:
        await fake.close()
    process_log = bot.log()
    answered = [r for r in records if r.followups]
    logged = set(TAG.findall(" ".join(logged_questions(database)))) if database.exists() else set()
    acked_at = {
        int(r.params["interaction_id"]): r.at
        for r in fake.requests
        if r.operation_id == "create_interaction_response" and r.status < 300
    }
    acks = [acked_at[r.id] - r.sent_at for r in records if r.id in acked_at]
    stalls = [int(m) for m in STALL.findall(process_log)]
    return LoadReport(
        interactions=len(records),
        rate=rate,
        answered=len(answered),
        busy=sum(is_busy(r) for r in records),
        without_response=sum(r.callback_type is None for r in records),
        second_replies=second_replies(fake, [r for r in records if r.callback_type is None]),
        tracebacks=process_log.count("Traceback"),
        expired_warnings=process_log.count("expired before they could be acknowledged"),
        longest_stall_ms=max(stalls) if stalls else None,
        ack_p99_ms=round(_percentile(acks, 0.99) * 1000, 1),
        answered_missing_from_log=sum(TAG.search(question_of(r)).group() not in logged for r in answered),  # type: ignore[union-attr]
        rows_logged=len(logged),
        killed=killed,
        wall_s=round(wall, 1),
    )


def question_of(record: InteractionRecord) -> str:
    return str(record.payload["data"]["options"][0]["value"])


def second_replies(fake: FakeDiscord, expired: list[InteractionRecord]) -> int:
    """Requests the bot made for interactions it never acknowledged, beyond the one that found them expired."""
    keys = {str(r.id) for r in expired} | {r.token for r in expired}
    touching = sum(
        1
        for request in fake.requests
        if request.params.get("interaction_id") in keys or request.params.get("webhook_token") in keys
    )
    return max(touching - len(expired), 0)


def _answered(fake: FakeDiscord) -> int:
    return sum(bool(r.followups) for r in fake.interactions.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=500)
    parser.add_argument("--rate", type=float, help="interactions per second (default: all at once)")
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--kill-after", type=int, help="SIGKILL the bot after this many answers, then restart it")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--validate", action="store_true", help="validate every request against the OpenAPI spec")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep its database and process log")
    args = parser.parse_args()

    async def once() -> LoadReport:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = args.keep or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            return await run_load(
                args.interactions,
                workdir=workdir,
                rate=args.rate,
                channels=args.channels,
                kill_after=args.kill_after,
                validate=args.validate,
            )

    report = asyncio.run(once())
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return
    pace = f"at {report.rate:g}/s" if report.rate else "at once"
    print(
        f"{report.interactions} /ask {pace}{' · SIGKILL + restart' if report.killed else ''} · wall {report.wall_s} s"
    )
    print(f"  answered {report.answered} · told busy {report.busy} · without response {report.without_response}")
    print(f"  second replies to expired {report.second_replies} · tracebacks {report.tracebacks}")
    print(f"  longest event-loop stall {report.longest_stall_ms} ms · ack p99 {report.ack_p99_ms} ms")
    print(f"  answered but missing from the log {report.answered_missing_from_log} · rows {report.rows_logged}")


if __name__ == "__main__":
    main()
