"""Moderators' and the host's view of the question log: browse, export, statistics, channel settings, purge.

Every guild-scoped read takes its guild from the caller's context (the interaction), never from an
option, so no filter can reach another server's rows. Rows still queued for writing are flushed
first, so what a moderator sees includes the question asked a moment ago.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Literal, NamedTuple

from bot.errors import BadFilter, StorageUnavailable
from bot.records import ChannelConfig, GuildStats, LogFilter, LogRow, parse_when
from bot.services.channels import ChannelSettings
from bot.services.export import DISCORD_ATTACHMENT_LIMIT, Export, ExportFormat, export_bounded
from bot.settings import Settings
from bot.store import Database
from bot.store.backends import describe

logger = logging.getLogger(__name__)

Visibility = Literal["public", "private", "server default"]


class Page(NamedTuple):
    """The rows a filter returns (up to its limit) and how many match in all."""

    rows: list[LogRow]
    total: int


class ConfigChange(NamedTuple):
    """A channel's settings after a /config call, whether it changed them, and the guild's other channels."""

    config: ChannelConfig
    changed: bool
    configured: list[ChannelConfig]


def checked_since(value: str | None) -> str | None:
    """A ``since`` filter as typed, once it is known to parse; blank means none. Raises BadFilter."""
    if value is None or not value.strip():
        return None
    try:
        parse_when(value)
    except ValueError:
        raise BadFilter(
            f"“since” must be a date like 2025-01-31 (or 2025-01-31T18:00), not “{value.strip()}”.",
            "bad_since",
            value=value.strip(),
        ) from None
    return value.strip()


def guild_filter(
    guild_id: int,
    *,
    channel_id: int | None = None,
    user_id: int | None = None,
    since: str | None = None,
    unanswered: bool = False,
    text: str | None = None,
    limit: int | None = 100,
) -> LogFilter:
    """The filter a moderator asked for, always narrowed to the server the command runs in."""
    return LogFilter(
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        since=checked_since(since),
        unanswered=unanswered,
        text=text or None,
        limit=limit,
    )


class ModerationService:
    """Reads and settings over the database; raises StorageUnavailable when there is none."""

    def __init__(self, database: Database | None, channels: ChannelSettings) -> None:
        self._database = database
        self._channels = channels

    @classmethod
    @contextlib.asynccontextmanager
    async def opened(cls, settings: Settings) -> AsyncIterator[ModerationService]:
        """The service over the settings' database alone (the host's `corpusbot logs`: no corpus needed)."""
        try:
            database = await Database.open(settings.database)
        except Exception as error:
            raise StorageUnavailable(f"cannot open the database at {describe(settings.database)}: {error}") from error
        try:
            yield cls(database, ChannelSettings(database))
        finally:
            await database.close()

    @property
    def available(self) -> bool:
        """Whether there is a database to read (the bot answers without one)."""
        return self._database is not None

    def _require(self) -> Database:
        if self._database is None:
            raise StorageUnavailable("the question log is unavailable")
        return self._database

    async def rows(self, flt: LogFilter) -> list[LogRow]:
        """The rows matching ``flt`` (newest first unless it says otherwise), queued rows included."""
        database = self._require()
        await database.writer.flush()
        return await database.questions.fetch(flt)

    async def page(self, flt: LogFilter) -> Page:
        """The rows matching ``flt`` and how many match regardless of its limit."""
        rows = await self.rows(flt)
        return Page(rows, await self.count(flt))

    async def count(self, flt: LogFilter | None = None) -> int:
        """How many rows match ``flt`` (every row without one), queued rows included."""
        database = self._require()
        await database.writer.flush()
        return await database.questions.count(flt)

    async def export(self, flt: LogFilter, fmt: ExportFormat, max_bytes: int = DISCORD_ATTACHMENT_LIMIT) -> Export:
        """The matching rows as a file cut at a whole row to fit ``max_bytes`` (built off the event loop)."""
        rows = await self.rows(flt)
        return await asyncio.to_thread(export_bounded, rows, fmt, max_bytes)

    async def stats(self, flt: LogFilter) -> GuildStats:
        """Usage of the filter's guild, optionally one channel and from ``since``."""
        if flt.guild_id is None:
            raise BadFilter("statistics are per server")
        database = self._require()
        await database.writer.flush()
        return await database.stats.of_guild(flt.guild_id, since=flt.since, channel_id=flt.channel_id)

    async def host_stats(
        self, guild_id: int | None = None, since: str | None = None, channel_id: int | None = None
    ) -> GuildStats:
        """The host's view (`corpusbot stats`): one guild, or every guild and DM when ``guild_id`` is None."""
        database = self._require()
        await database.writer.flush()
        return await database.stats.of_guild(guild_id, since=since, channel_id=channel_id)

    async def chart(self, stats: GuildStats, lang: str = "en") -> bytes:
        """The /stats picture as PNG bytes, drawn in a worker thread (matplotlib takes a few hundred ms)."""
        from bot.services.charts import stats_png  # matplotlib loads only when a chart is drawn

        return await asyncio.to_thread(partial(stats_png, stats, lang=lang))

    async def configure(
        self,
        guild_id: int,
        channel_id: int,
        *,
        enabled: bool | None = None,
        log_questions: bool | None = None,
        answers: Visibility | None = None,
        threads: bool | None = None,
        forum: bool | None = None,
    ) -> ConfigChange:
        """A channel's settings, after changing the ones given (None leaves a setting as it is)."""
        self._require()
        current = await self._channels.get(guild_id, channel_id)
        changes: dict[str, bool | None] = {}
        if enabled is not None:
            changes["enabled"] = enabled
        if log_questions is not None:
            changes["log_questions"] = log_questions
        if answers is not None:
            changes["private_by_default"] = None if answers == "server default" else answers == "private"
        if threads is not None:
            changes["threads"] = threads
        if forum is not None:
            changes["forum"] = forum
        if changes:
            current = replace(current, **changes)  # type: ignore[arg-type]
            await self._channels.set(current)
        return ConfigChange(current, bool(changes), await self._channels.of_guild(guild_id))

    async def purge_before(self, before: str) -> tuple[int, datetime]:
        """Delete rows logged before a date or datetime (a date means its midnight, UTC)."""
        try:
            moment = parse_when(before)
        except ValueError as error:
            raise BadFilter(str(error)) from None
        if not isinstance(moment, datetime):
            moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
        return await self._require().purge_before(moment), moment


async def database_status(settings: Settings) -> str:
    """A one-line health summary of the database, for `corpusbot check`."""
    try:
        async with ModerationService.opened(settings) as moderation:
            return f"ok · {await moderation.count()} rows"
    except StorageUnavailable as error:
        return f"PROBLEM: {error.__cause__ or error}"
    except Exception as error:  # any failure here is what check must report, whatever its type
        return f"PROBLEM: {error}"
