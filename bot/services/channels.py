"""Moderators' per-channel settings, cached: the read sits before every interaction's acknowledgement.

Processes sharing one PostgreSQL keep their caches coherent through `bot.services.sharing`: ``on_change``
announces a change, ``remember`` applies one announced by another process, ``forget`` drops the cache
when announcements may have been missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.errors import StorageUnavailable
from bot.records import ChannelConfig
from bot.store import Database

logger = logging.getLogger(__name__)

CONFIG_READ_TIMEOUT = 1.0


class ChannelSettings:
    """Reads through a memory cache; settings change only through `set`, which updates it."""

    def __init__(self, database: Database | None) -> None:
        self._database = database
        self._cache: dict[tuple[int, int], ChannelConfig] = {}
        self.on_change: Callable[[ChannelConfig], Awaitable[None]] | None = None

    async def get(self, guild_id: int | None, channel_id: int | None) -> ChannelConfig:
        """The channel's settings; the defaults when there are none, no database, or no guild (DMs).

        When the database cannot be read in time the channel answers as usual but its questions are
        logged without text or author: when in doubt, store less.
        """
        if self._database is None or guild_id is None or channel_id is None:
            return ChannelConfig(guild_id or 0, channel_id or 0)
        cached = self._cache.get((guild_id, channel_id))
        if cached is not None:
            return cached
        try:  # bounded: a locked database must not delay the acknowledgement
            config = await asyncio.wait_for(self._database.channels.get(guild_id, channel_id), CONFIG_READ_TIMEOUT)
        except Exception:
            logger.exception("could not read channel settings; answering with the defaults, logging counts only")
            return ChannelConfig(guild_id, channel_id, log_questions=False)
        self._cache[(guild_id, channel_id)] = config
        return config

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
            except Exception:  # stored and applied here; other processes re-read once their cache is dropped
                logger.exception("could not announce a channel's new settings to the other processes")

    def remember(self, config: ChannelConfig) -> None:
        """Apply settings another process stored (it announced them)."""
        self._cache[(config.guild_id, config.channel_id)] = config
        logger.info("channel %d/%d changed by another process: %s", config.guild_id, config.channel_id, config)

    def forget(self) -> None:
        """Drop every cached setting: the next read of each channel goes to the database."""
        self._cache.clear()

    def _require(self) -> Database:
        if self._database is None:
            raise StorageUnavailable("no database: channel settings cannot be stored")
        return self._database
