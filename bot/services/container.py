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

    @classmethod
    async def start(cls, settings: Settings, *, with_database: bool = True) -> Services:
        """Load the corpus (off the event loop; raises CorpusUnreadable) and open the database.

        A database that cannot be opened is reported and the services answer without it: losing the
        log must never take answers down.
        """
        seen = watch_state(settings)
        engine = await asyncio.to_thread(load_engine, settings)
        database = None
        if with_database:
            try:
                database = await Database.open(settings.database_path)
            except Exception:
                logger.exception("cannot open the query log at %s; answering without it", settings.database_path)
        return cls(settings, engine, database, seen)

    def background(self) -> dict[str, Coroutine[Any, Any, None]]:
        """The loops a long-running bot keeps going, by task name: corpus reloads and log retention."""
        return {"corpus-watch": self.corpus.watch(), "log-retention": self.privacy.retention()}

    async def close(self) -> None:
        """Flush and close the database, stop the retrieval thread (at shutdown)."""
        if self.database is not None:
            await self.database.close()
        self.corpus.close()
