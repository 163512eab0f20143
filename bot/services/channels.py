"""Moderators' per-channel settings, cached: the read sits before every interaction's acknowledgement."""

from __future__ import annotations

import asyncio
import logging

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

    def _require(self) -> Database:
        if self._database is None:
            raise StorageUnavailable("no database: channel settings cannot be stored")
        return self._database
