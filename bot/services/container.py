"""`Services`: every service the bot and the CLI use, built once over one engine and one database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.services.activity import Activity
from bot.services.channels import ChannelSettings
from bot.services.corpus import CorpusService
from bot.services.moderation import ModerationService
from bot.services.policy import ReplyPolicy
from bot.services.privacy import PrivacyService
from bot.services.recording import Recorder
from bot.services.watching import WatchState, load_engine, watch_state
from bot.settings import Settings
from bot.store import Database
from retrieval.engine import Engine

logger = logging.getLogger(__name__)

REOPEN_FIRST, REOPEN_MAX = 1.0, 60.0  # seconds between attempts to open a database that failed to open


class Services:
    """The container: what each interface calls, by concern. Build with `start` (or directly in tests)."""

    def __init__(
        self, settings: Settings, engine: Engine, database: Database | None, seen: WatchState | None = None
    ) -> None:
        """``seen``: the corpus folder's watch state taken before ``engine`` was loaded."""
        self.settings = settings
        self.database = database
        self.channels = ChannelSettings(database)
        self.recorder = Recorder(database, self.channels)
        self.corpus = CorpusService(settings, engine, self.recorder, seen)
        self.policy = ReplyPolicy(settings, self.channels)
        self.moderation = ModerationService(database, self.channels)
        self.privacy = PrivacyService(settings, database)
        self.activity = Activity()
        self._reopening: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, settings: Settings, *, with_database: bool = True) -> Services:
        """Load the corpus (off the event loop; raises CorpusUnreadable), open the database, load settings.

        A database that cannot be opened (or whose settings cannot be read) is reported and retried in
        the background; meanwhile answers go on, guild channels fail closed and moderators see why.
        """
        seen = watch_state(settings)
        engine = await asyncio.to_thread(load_engine, settings)
        services = cls(settings, engine, Database(settings.database_path) if with_database else None, seen)
        if services.database is not None and not await services.open_storage():
            services._reopening = asyncio.create_task(services._keep_opening(), name="database-reopen")
        return services

    async def open_storage(self) -> bool:
        """Open the database and load every channel's settings; False (with the reason kept) on failure."""
        assert self.database is not None
        try:
            await self.database.start()
        except Exception as error:
            if self.channels.problem is None:
                logger.error(
                    "cannot open the query log at %s (%s); answering without it, retrying in the background",
                    self.settings.database_path,
                    error,
                )
            self.channels.fail(f"the database {self.settings.database_path} cannot be opened: {error}")
            return False
        try:
            await self.channels.load()
        except Exception:
            return False
        return True

    async def _keep_opening(self) -> None:
        delay = REOPEN_FIRST
        while not await self.open_storage():
            await asyncio.sleep(delay)
            delay = min(delay * 2, REOPEN_MAX)
        logger.warning("database opened; question logging and channel settings are back")

    def background(self) -> dict[str, Coroutine[Any, Any, None]]:
        """The loops a long-running bot keeps going, by task name: corpus reloads and log retention."""
        return {"corpus-watch": self.corpus.watch(), "log-retention": self.privacy.retention()}

    async def close(self) -> None:
        """Flush and close the database, stop the retrieval thread (at shutdown)."""
        if self._reopening is not None:
            self._reopening.cancel()
        if self.database is not None:
            await self.database.close()
        self.corpus.close()
