"""Work in flight: handlers mark themselves busy so shutdown (and tests) can wait until the bot is idle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator

logger = logging.getLogger(__name__)


class Activity:
    """A counter of handlers between receiving a request and sending its reply."""

    def __init__(self) -> None:
        self.count = 0

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Mark one handler as in flight until the block ends (whatever way it ends)."""
        self.count += 1
        try:
            yield
        finally:
            self.count -= 1

    async def settle(self, timeout: float, poll: float = 0.05) -> bool:
        """Wait until nothing is in flight or ``timeout`` passes; True when idle."""
        deadline = time.monotonic() + timeout
        while self.count and time.monotonic() < deadline:
            await asyncio.sleep(poll)
        return not self.count
