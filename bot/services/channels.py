"""Moderators' per-channel settings, all in memory: the read sits before every interaction's acknowledgement.

Every configured channel is read once when the database opens (the table is small) and kept current
by `set`, so no lookup ever waits for the disk. When they cannot be read, every guild channel fails
closed — off, private, not logged — never the defaults, which could expose what moderators turned
off; `problem` says why, for moderators.

Processes sharing one PostgreSQL keep their copies coherent through `bot.services.sharing`: ``on_change``
announces a change, ``remember`` applies one announced by another process, and ``reload_soon`` reads
everything again when announcements may have been missed (the copy in hand stays in use meanwhile;
if the read fails, the channels fail closed as at start).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.errors import StorageUnavailable
from bot.records import ChannelConfig
from bot.store import Database

logger = logging.getLogger(__name__)

RELOAD_FIRST, RELOAD_MAX = 1.0, 30.0  # seconds between attempts to read the settings again


class ChannelSettings:
    """The settings of every configured channel, loaded by `load` and changed only through `set`."""

    def __init__(self, database: Database | None) -> None:
        """``database`` None means the bot runs without one on purpose: every channel has the defaults."""
        self._database = database
        self._cache: dict[tuple[int, int], ChannelConfig] = {}
        self._reloading: asyncio.Task[None] | None = None
        self.problem: str | None = None  # `Services.start` loads them before anything is served
        self.on_change: Callable[[ChannelConfig], Awaitable[None]] | None = None

    async def load(self) -> None:
        """Read every channel's settings; on failure keep failing closed (and say why) and re-raise."""
        if self._database is None:
            return
        try:
            configs = await self._database.channels.all()
        except Exception as error:
            self.fail(f"channel settings cannot be read from {self._database.name}: {error}")
            raise
        self._cache = {(config.guild_id, config.channel_id): config for config in configs}
        self.problem = None

    def fail(self, problem: str) -> None:
        """Treat every guild channel as off and private until `load` succeeds; logged once per problem."""
        if problem != self.problem:
            logger.error("%s; every channel stays off and private until they can be read", problem)
        self.problem = problem

    async def get(self, guild_id: int | None, channel_id: int | None) -> ChannelConfig:
        """The channel's settings: the defaults outside guilds (DMs), without a database, or when unset."""
        if guild_id is None or channel_id is None:
            return ChannelConfig(guild_id or 0, channel_id or 0)
        if self.problem is not None:
            return ChannelConfig(guild_id, channel_id, enabled=False, log_questions=False, private_by_default=True)
        return self._cache.get((guild_id, channel_id), ChannelConfig(guild_id, channel_id))

    async def of_guild(self, guild_id: int) -> list[ChannelConfig]:
        """Every configured channel of one guild, read from the database."""
        return await self._require().channels.of_guild(guild_id)

    async def set(self, config: ChannelConfig) -> None:
        """Store a channel's settings and use them at once."""
        await self._require().channels.set(config)
        self._cache[(config.guild_id, config.channel_id)] = config
        if self.on_change is not None:
            try:
                await self.on_change(config)
            except Exception:  # stored and applied here; other processes re-read once they reconnect
                logger.exception("could not announce a channel's new settings to the other processes")

    def remember(self, config: ChannelConfig) -> None:
        """Apply settings another process stored (it announced them)."""
        self._cache[(config.guild_id, config.channel_id)] = config
        logger.info("channel %d/%d changed by another process: %s", config.guild_id, config.channel_id, config)

    def reload_soon(self) -> None:
        """Read every channel again in the background (announcements may have been missed)."""
        if self._database is None or (self._reloading is not None and not self._reloading.done()):
            return
        self._reloading = asyncio.get_running_loop().create_task(self._reload(), name="channel-settings-reload")

    async def _reload(self) -> None:
        delay = RELOAD_FIRST
        while True:
            try:
                await self.load()
            except Exception:  # `load` failed closed and logged why: try again until it can read them
                await asyncio.sleep(delay)
                delay = min(delay * 2, RELOAD_MAX)
                continue
            logger.info("channel settings read again after missed announcements")
            return

    def _require(self) -> Database:
        if self._database is None:
            raise StorageUnavailable("no database: channel settings cannot be stored")
        if self.problem is not None:
            raise StorageUnavailable(self.problem)
        return self._database
