"""Moderators' per-channel settings, all in memory: the read sits before every interaction's acknowledgement.

Every configured channel is read once when the database opens (the table is small) and kept current
by `set`, so no lookup ever waits for the disk. When they cannot be read, every guild channel fails
closed — off, private, not logged — never the defaults, which could expose what moderators turned
off; `problem` says why, for moderators.
"""

from __future__ import annotations

import logging

from bot.errors import StorageUnavailable
from bot.records import ChannelConfig
from bot.store import Database

logger = logging.getLogger(__name__)


class ChannelSettings:
    """The settings of every configured channel, loaded by `load` and changed only through `set`."""

    def __init__(self, database: Database | None) -> None:
        """``database`` None means the bot runs without one on purpose: every channel has the defaults."""
        self._database = database
        self._cache: dict[tuple[int, int], ChannelConfig] = {}
        self.problem: str | None = None  # `Services.start` loads them before anything is served

    async def load(self) -> None:
        """Read every channel's settings; on failure keep failing closed (and say why) and re-raise."""
        if self._database is None:
            return
        try:
            configs = await self._database.channels.all()
        except Exception as error:
            self.fail(f"channel settings cannot be read from {self._database.path}: {error}")
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

    def _require(self) -> Database:
        if self._database is None:
            raise StorageUnavailable("no database: channel settings cannot be stored")
        if self.problem is not None:
            raise StorageUnavailable(self.problem)
        return self._database
