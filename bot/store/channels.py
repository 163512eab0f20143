"""The ``channel_config`` table: moderators' per-channel switches (answer here, log questions, privacy)."""

from __future__ import annotations

import logging
import sqlite3

from bot.records import ChannelConfig, utc_now
from bot.store.backends.interface import StoreConnection
from bot.store.timestamps import to_db_ts

logger = logging.getLogger(__name__)


def _opt_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _config(row: sqlite3.Row) -> ChannelConfig:
    return ChannelConfig(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        enabled=bool(row["enabled"]),
        log_questions=bool(row["log_questions"]),
        private_by_default=_opt_bool(row["private_by_default"]),
        threads=bool(row["threads"]),
        forum=bool(row["forum"]),
    )


# Written in this order by `set` and copied by `corpusbot db copy`: one list, so a new setting reaches both.
COLUMNS = (
    "guild_id",
    "channel_id",
    "enabled",
    "log_questions",
    "private_by_default",
    "threads",
    "forum",
    "updated_at",
)
UPDATE_SET = ", ".join(f"{column} = excluded.{column}" for column in COLUMNS[2:])


class ChannelSettings:
    """Stored channel settings; a channel nobody configured has the defaults."""

    def __init__(self, connection: StoreConnection) -> None:
        self._connection = connection

    async def get(self, guild_id: int, channel_id: int) -> ChannelConfig:
        """The channel's switches, or the defaults when nobody configured it."""
        rows = await self._connection.query(
            "SELECT * FROM channel_config WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id)
        )
        return _config(rows[0]) if rows else ChannelConfig(guild_id, channel_id)

    async def all(self) -> list[ChannelConfig]:
        """Every configured channel of every guild: small, read once at start and then kept in memory."""
        rows = await self._connection.query("SELECT * FROM channel_config ORDER BY guild_id, channel_id")
        return [_config(row) for row in rows]

    async def of_guild(self, guild_id: int) -> list[ChannelConfig]:
        """Every configured channel of one guild (unlisted channels use the defaults)."""
        rows = await self._connection.query(
            "SELECT * FROM channel_config WHERE guild_id = ? ORDER BY channel_id", (guild_id,)
        )
        return [_config(row) for row in rows]

    async def set(self, config: ChannelConfig) -> None:
        """Store the whole config; callers change one field with ``dataclasses.replace``."""
        private = None if config.private_by_default is None else int(config.private_by_default)
        async with self._connection.transaction() as db:
            await db.execute(
                f"INSERT INTO channel_config ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
                f" ON CONFLICT (guild_id, channel_id) DO UPDATE SET {UPDATE_SET}",
                (
                    config.guild_id,
                    config.channel_id,
                    int(config.enabled),
                    int(config.log_questions),
                    private,
                    int(config.threads),
                    int(config.forum),
                    to_db_ts(utc_now()),
                ),
            )
        logger.info("channel config of %d/%d set to %s", config.guild_id, config.channel_id, config)
