"""Overload that degrades politely: acknowledge first, answer in turn, say "busy" past a bound.

Discord drops an interaction that is not acknowledged within 3 s (error 10062), after which nothing
can be sent to the user at all. So under a burst the bot's scarce resource is the event loop's time
before each deadline. Questions are acknowledged at once (a deferred "thinking…" reply), then wait
for one of a few answer slots; while acknowledgements are pending, answer work waits (briefly) so it
cannot starve them. Past the queue's capacity a question is told at once to try again in a few
seconds, which is also an acknowledgement — nobody is left without a reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import discord
from discord.gateway import DiscordWebSocket

logger = logging.getLogger(__name__)

ACK_BUDGET = 2.5  # seconds after which an interaction is too old to acknowledge before Discord's 3 s
SKEW_WINDOW = 60.0  # seconds over which the freshest interaction defines "age zero"
ACKS_AT_ONCE = 64  # acknowledgements being sent at once (HTTP connections are bounded too)
ACK_PRIORITY_WAIT = 0.5  # longest an answer slot defers to pending acknowledgements (no starvation)
EXPIRED_REPORT_INTERVAL = 60.0
STALL_TICK = 0.02
UNKNOWN_INTERACTION, ALREADY_ACKNOWLEDGED = 10062, 40060


class AnswerQueue:
    """Bounds answers computed at once (``in_flight``) and waiting (``queued``); counts what it sheds."""

    def __init__(self, in_flight: int, queued: int) -> None:
        self._slots = asyncio.Semaphore(in_flight)
        self._acks = asyncio.Semaphore(ACKS_AT_ONCE)
        self.capacity = queued
        self.waiting = 0
        self.unacknowledged = 0
        self.busy_replies = 0
        self._acknowledged = asyncio.Event()
        self._acknowledged.set()

    def shed(self) -> bool:
        """True (and counted) when one more question would overflow the queue: tell the user "busy"."""
        full = self.waiting >= self.capacity
        self.busy_replies += full
        return full

    @contextlib.asynccontextmanager
    async def acknowledging(self) -> AsyncIterator[None]:
        """Around a handler's first reply: a few at a time, and answer work yields to them.

        Without the bound, a burst of N interactions has every handler build its HTTP request before
        any is sent (each waits for a connection only after building it), so the first acknowledgement
        leaves after N times that work and the whole burst misses Discord's deadline together. Bounded,
        acknowledgements leave steadily in arrival order, and those that waited too long are skipped
        (`AckDeadline`) at no cost.
        """
        self.unacknowledged += 1
        self._acknowledged.clear()
        try:
            async with self._acks:
                yield
        finally:
            self.unacknowledged -= 1
            if not self.unacknowledged:
                self._acknowledged.set()

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for an answer slot, then (briefly) for pending acknowledgements to go out first."""
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._acknowledged.wait(), ACK_PRIORITY_WAIT)
            yield
        finally:
            self._slots.release()


class AckDeadline:
    """Tells which interactions are already too old to acknowledge.

    Then none of the loop's time is spent on a request Discord will refuse (under a backlog that
    time is what the others need).

    Age comes from the interaction's id (a snowflake holds its creation time), measured against the
    freshest interaction of the last minute rather than taken at face value, so a local clock that
    is off by seconds does not make every interaction look expired.
    """

    def __init__(self, budget: float = ACK_BUDGET, window: float = SKEW_WINDOW) -> None:
        self._budget, self._window = budget, window
        self._lags: deque[tuple[float, float]] = deque()  # (seen at, lag), lags increasing: a running minimum

    def missed(self, created_at: datetime) -> bool:
        """True when an interaction created at ``created_at`` can no longer be acknowledged in time."""
        now = time.monotonic()
        lag = (datetime.now(UTC) - created_at).total_seconds()
        while self._lags and self._lags[-1][1] >= lag:
            self._lags.pop()
        self._lags.append((now, lag))
        while self._lags[0][0] < now - self._window:
            self._lags.popleft()
        return lag - self._lags[0][1] > self._budget


def is_expired(error: BaseException) -> bool:
    """The interaction can no longer be answered: it expired before we acknowledged it, or was answered."""
    original = getattr(error, "original", error)
    return isinstance(original, discord.HTTPException) and original.code in (UNKNOWN_INTERACTION, ALREADY_ACKNOWLEDGED)


class ExpiredInteractions:
    """Interactions we could not acknowledge in time.

    No second reply (it would fail too), no traceback, one warning with a count per minute.
    """

    def __init__(self, interval: float = EXPIRED_REPORT_INTERVAL) -> None:
        self.total = 0
        self._unreported = 0
        self._interval = interval
        self._last_report = float("-inf")

    def add(self) -> None:
        """Count one; report at once if the last report is a minute old."""
        self.total += 1
        self._unreported += 1
        if time.monotonic() - self._last_report >= self._interval:
            self.report()

    def report(self) -> None:
        """Log the count not yet reported (called on the minute and at shutdown)."""
        if not self._unreported:
            return
        logger.warning(
            "%d interactions expired before they could be acknowledged (event loop overloaded); "
            "they got no reply · %d since start",
            self._unreported,
            self.total,
        )
        self._unreported = 0
        self._last_report = time.monotonic()


class LoopWatch:
    """The event loop's longest stall (how late a short timer fires): what delays every acknowledgement."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start measuring (on the running loop)."""
        self._task = asyncio.create_task(self._run(), name="loop-watch")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(STALL_TICK)
            self.longest = max(self.longest, loop.time() - before - STALL_TICK)

    def stop(self) -> None:
        """Stop measuring and log the longest stall (the load harness reads it)."""
        if self._task is not None:
            self._task.cancel()
        logger.info("longest event-loop stall %.0f ms", self.longest * 1000)


class Load:
    """What the Discord layer knows about its own load, shared by the question commands and the tree."""

    def __init__(self, in_flight: int, queued: int, expired: ExpiredInteractions) -> None:
        self.queue = AnswerQueue(in_flight, queued)
        self.deadline = AckDeadline()
        self.expired = expired


def yield_between_gateway_events() -> None:
    """Let the event loop run between two gateway events (process-wide; `corpusbot run` calls it once).

    discord.py reads the gateway in one task, and a message already buffered is returned without
    suspending, so a burst of N interactions is parsed in one stretch: nothing is acknowledged, and
    every timer runs late, until all N are read. One yield per event interleaves parsing with the
    acknowledgements of the interactions already read.
    """
    if getattr(DiscordWebSocket.received_message, "yields", False):
        return
    parse = DiscordWebSocket.received_message

    async def received_message(self: DiscordWebSocket, msg: Any, /) -> None:
        await asyncio.sleep(0)
        await parse(self, msg)

    received_message.yields = True  # type: ignore[attr-defined]
    DiscordWebSocket.received_message = received_message  # type: ignore[method-assign]
