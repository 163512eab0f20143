"""What the bot writes about people's questions: the one place that decides whether and what logs.

Every question row (answers from any interface, timelines) and every feedback vote goes through
`Recorder`; nothing here ever raises into an answer, because losing a log row must never take an
answer down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.records import Interface, LogEntry
from bot.services.channels import ChannelSettings
from bot.store import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a question came from, as the log records it."""

    interface: Interface
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None


class Recorder:
    """Queues question rows (trimmed to what the channel allows) and stores votes."""

    def __init__(self, database: Database | None, channels: ChannelSettings) -> None:
        self._database = database
        self._channels = channels

    async def record(self, entry: LogEntry) -> None:
        """Queue one question row, or nothing without a database.

        In a channel whose moderators turned logging off, the row keeps its counts and sources but
        not the question's text or its author. The channel's settings come from the cache the
        interaction already filled, so this costs no database read; a failure to queue is reported.
        """
        if self._database is None:
            return
        config = await self._channels.get(entry.guild_id, entry.channel_id)
        if not config.log_questions:
            entry = replace(entry, question=None, user_id=None)
        try:
            self._database.writer.record(entry)
        except Exception:
            logger.exception("could not queue a question row")

    async def vote(self, answer_id: str, user_id: int, up: bool) -> tuple[int, int] | None:
        """Store one user's vote on an answer (a second vote replaces the first).

        Returns the answer's (up, down) counts, or None when the vote could not be stored.
        """
        if self._database is None:
            return None
        try:
            return await self._database.votes.cast(answer_id, user_id, up)
        except Exception:
            logger.exception("could not store a feedback vote")
            return None
