"""`Services`: every service the bot and the CLI use, built once over one engine and one database."""

from __future__ import annotations

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
from bot.services.sharing import Broadcast
from bot.services.watching import WatchState, build_engine, watch_state
from bot.settings import Settings
from bot.store import Database
from bot.store.backends import describe
from retrieval.engine import Engine, SavedFiles, new_file_cache

logger = logging.getLogger(__name__)


class Services:
    """The container: what each interface calls, by concern. Build with `start` (or directly in tests)."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        database: Database | None,
        seen: WatchState | None = None,
        cache: SavedFiles | None = None,
        *,
        serving: bool = False,
    ) -> None:
        """Build every service over one engine and one database.

        ``seen``: the corpus folder's watch state taken before ``engine`` was loaded; ``cache``: the saved
        index it was loaded through; ``serving``: a long-running process (the bot).
        """
        self.settings = settings
        self.database = database
        self.channels = ChannelSettings(database)
        self.recorder = Recorder(database, self.channels)
        self.corpus = CorpusService(settings, engine, self.recorder, seen, cache, serving=serving)
        self.policy = ReplyPolicy(settings, self.channels)
        self.moderation = ModerationService(database, self.channels)
        self.privacy = PrivacyService(settings, database)
        self.activity = Activity()
        self.broadcast = Broadcast(None if database is None else database.connection)

    @classmethod
    async def start(cls, settings: Settings, *, with_database: bool = True, serving: bool = False) -> Services:
        """Load the corpus through the saved index (off the event loop) and open the database.

        Raises CorpusUnreadable. ``serving``: a long-running process (the bot), which loads the compiled
        top-k kernel too.

        A database that cannot be opened is reported and the services answer without it: losing the
        log must never take answers down.
        """
        seen = watch_state(settings)
        cache = new_file_cache(settings.cache_dir)  # kept: a reload re-reads only changed files
        engine = await build_engine(settings, cache, serving=serving)
        database = None
        if with_database:
            try:
                database = await Database.open(settings.database)
            except Exception:
                logger.exception("cannot open the query log at %s; answering without it", describe(settings.database))
        services = cls(settings, engine, database, seen, cache, serving=serving)
        await services.broadcast.connect(
            channels=services.channels, cooldowns=services.policy.cooldowns, corpus=services.corpus
        )
        return services

    def background(self) -> dict[str, Coroutine[Any, Any, None]]:
        """The loops a long-running bot keeps going, by task name: corpus reloads and log retention."""
        return {"corpus-watch": self.corpus.watch(), "log-retention": self.privacy.retention()}

    async def close(self) -> None:
        """Flush and close the database, stop the retrieval thread (at shutdown)."""
        if self.database is not None:
            await self.database.close()
        self.corpus.close()
