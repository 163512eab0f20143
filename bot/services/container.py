"""`Services`: every service the bot and the CLI use, built once over one engine and one database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from pathlib import Path
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
from bot.store.backends import describe, is_postgres
from retrieval.engine import Engine, SavedFiles, new_file_cache

logger = logging.getLogger(__name__)

REOPEN_FIRST, REOPEN_MAX = 1.0, 60.0  # seconds between attempts to open a database that failed to open


def journal_path(settings: Settings) -> Path | bool:
    """This process's journal: True (the default, beside the SQLite file), or a file for PostgreSQL.

    PostgreSQL has no local file, so its journal sits beside ``database_path`` like the heartbeat and the
    reload request; each set of shards gets its own, since one process owns a journal at a time.
    """
    if not is_postgres(settings.database):
        return True
    base = Path(settings.database_path)
    shards = "-shards-" + "-".join(map(str, sorted(settings.shard_ids))) if settings.shard_ids else ""
    return base.with_name(f"{base.name}.postgres{shards}.journal")


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
        self._reopening: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, settings: Settings, *, with_database: bool = True, serving: bool = False) -> Services:
        """Load the corpus through the saved index (off the event loop) and open the database.

        Raises CorpusUnreadable. ``serving``: a long-running process (the bot), which loads the compiled
        top-k kernel too.

        A database that cannot be opened (or whose settings cannot be read) is reported and retried in
        the background; meanwhile answers go on, guild channels fail closed and moderators see why.
        """
        seen = watch_state(settings)
        cache = new_file_cache(settings.cache_dir)  # kept: a reload re-reads only changed files
        engine = await build_engine(settings, cache, serving=serving)
        database = Database(settings.database, journal=journal_path(settings)) if with_database else None
        services = cls(settings, engine, database, seen, cache, serving=serving)
        await services.broadcast.connect(
            channels=services.channels, cooldowns=services.policy.cooldowns, corpus=services.corpus
        )
        if services.database is not None and not await services.open_storage():
            services._reopening = asyncio.create_task(services._keep_opening(), name="database-reopen")
        return services

    async def open_storage(self) -> bool:
        """Open the database and load every channel's settings; False (with the reason kept) on failure.

        With a shared database the settings are read only once this process hears other processes'
        announcements, so a change made between the read and the LISTEN cannot be missed.
        """
        assert self.database is not None
        name = describe(self.settings.database)
        try:
            await self.database.start()
        except Exception as error:
            if self.channels.problem is None:
                logger.error(
                    "cannot open the query log at %s (%s); answering without it, retrying in the background",
                    name,
                    error,
                )
            self.channels.fail(f"the database {name} cannot be opened: {error}")
            return False
        try:
            await self.broadcast.ready()
        except TimeoutError:
            logger.warning("reading channel settings before other processes' announcements can be heard")
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
