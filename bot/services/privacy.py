"""People's control over what is stored about them: what is kept, erasure everywhere, and retention."""

from __future__ import annotations

import asyncio
import logging

from bot.errors import StorageUnavailable
from bot.records import LogFilter
from bot.settings import Settings
from bot.store import Database

logger = logging.getLogger(__name__)

RETENTION_INTERVAL_SECONDS = 24 * 3600


class PrivacyService:
    """Counts and erases one person's rows; purges rows past the retention period."""

    def __init__(self, settings: Settings, database: Database | None) -> None:
        self._settings = settings
        self._database = database

    @property
    def available(self) -> bool:
        """Whether anything is stored at all (the bot answers without a database)."""
        return self._database is not None

    @property
    def retention_days(self) -> int:
        """How long question rows are kept."""
        return self._settings.log_retention_days

    def _require(self) -> Database:
        if self._database is None:
            raise StorageUnavailable("the question log is unavailable")
        return self._database

    async def stored_questions(self, user_id: int) -> int:
        """How many questions are stored with this user id, in every server and in DMs."""
        database = self._require()
        await database.writer.flush()
        return await database.questions.count(LogFilter(user_id=user_id))

    async def forget(self, user_id: int) -> int:
        """Erase the user's questions everywhere, their votes and the votes on their answers; returns how many."""
        return await self._require().forget_user(user_id)

    async def purge_expired(self) -> int:
        """Delete rows older than the retention period; 0 without a database."""
        if self._database is None:
            return 0
        removed = await self._database.purge_older_than(self.retention_days)
        if removed:
            logger.info("purged %d log rows older than %d days", removed, self.retention_days)
        return removed

    async def retention(self) -> None:
        """Purge at start-up and then once a day, for as long as the bot runs."""
        while True:
            try:
                await self.purge_expired()
            except Exception:
                logger.exception("log retention purge failed")
            await asyncio.sleep(RETENTION_INTERVAL_SECONDS)
