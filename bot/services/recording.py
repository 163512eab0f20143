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
from bot.services.voters import anonymous_voter
from bot.store import Database

logger = logging.getLogger(__name__)

NOT_LOGGED_ANSWERED, NOT_LOGGED_ABSTAINED = "answered", "not answered"  # reasons that quote no user words


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
        """Log one question row; returns once it is durable (in the journal), so the answer follows it.

        In a channel whose moderators turned logging off, the row keeps its counts and sources but
        not the question's text, its author, or a reason that could quote the question. The
        channel's settings are in memory, so this costs no database read; a failure is reported.
        """
        if self._database is None:
            return
        config = await self._channels.get(entry.guild_id, entry.channel_id)
        if not config.log_questions:
            reason = None if entry.reason is None else NOT_LOGGED_ANSWERED if entry.answered else NOT_LOGGED_ABSTAINED
            entry = replace(entry, question=None, user_id=None, reason=reason)
        try:
            await self._database.writer.record(entry)
        except Exception:
            logger.exception("could not log a question row")

    @property
    def dropped(self) -> int:
        """Question rows that will never be stored (shown in /stats and the process log)."""
        return 0 if self._database is None else self._database.writer.dropped

    async def vote(
        self, answer_id: str, user_id: int, up: bool, guild_id: int | None = None, channel_id: int | None = None
    ) -> tuple[int, int] | None:
        """Store one user's vote on an answer (a second vote replaces the first).

        Where logging is off the voter is stored as an anonymous id no user id leads to. Returns
        the answer's (up, down) counts, or None when the vote could not be stored.
        """
        if self._database is None:
            return None
        config = await self._channels.get(guild_id, channel_id)
        voter = user_id if config.log_questions else anonymous_voter(answer_id, user_id)
        try:
            return await self._database.votes.cast(answer_id, voter, up)
        except Exception:
            logger.exception("could not store a feedback vote")
            return None
