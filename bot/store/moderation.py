"""Moderator-facing operations: feedback votes, per-channel switches, erasure, retention and statistics.

Every guild-scoped query starts from ``guild_id = ?`` and only ever adds AND-ed conditions, so nothing a
moderator passes in can reach another guild's rows.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.store.connection import Store
from bot.store.models import ChannelConfig, GuildStats, When, from_db_ts, lower_bound, to_db_ts, utc_now

logger = logging.getLogger(__name__)

_COUNT_VOTES = "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM votes WHERE answer_id = ?"


def _opt_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _config(row: sqlite3.Row) -> ChannelConfig:
    return ChannelConfig(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        enabled=bool(row["enabled"]),
        log_questions=bool(row["log_questions"]),
        private_by_default=_opt_bool(row["private_by_default"]),
    )


async def unlogged_channels(db: aiosqlite.Connection) -> set[tuple[int, int]]:
    """Channels whose question text and authors must not be stored."""
    async with db.execute("SELECT guild_id, channel_id FROM channel_config WHERE log_questions = 0") as cur:
        return {(row[0], row[1]) for row in await cur.fetchall()}


class ModerationStore(Store):
    """Votes, channel config, erasure, retention and stats on top of the shared connection."""

    async def vote(self, answer_id: str, user_id: int, up: bool) -> tuple[int, int]:
        """Record a 👍 (up) or 👎; a user's second click replaces their vote. Returns (up, down) now."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO votes (answer_id, user_id, vote, ts) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, ts = excluded.ts",
                (answer_id, user_id, 1 if up else -1, to_db_ts(utc_now())),
            )
            async with db.execute(_COUNT_VOTES, (answer_id,)) as cur:
                row = await cur.fetchone()
        assert row is not None  # an aggregate always yields a row
        return int(row[0]), int(row[1])

    async def votes(self, answer_id: str) -> tuple[int, int]:
        """(up, down) for one answer."""
        row = (await self._query(_COUNT_VOTES, (answer_id,)))[0]
        return int(row[0]), int(row[1])

    async def channel_config(self, guild_id: int, channel_id: int) -> ChannelConfig:
        """The channel's switches, or the defaults when nobody configured it."""
        rows = await self._query(
            "SELECT * FROM channel_config WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id)
        )
        return _config(rows[0]) if rows else ChannelConfig(guild_id, channel_id)

    async def channel_configs(self, guild_id: int) -> list[ChannelConfig]:
        """Every configured channel of one guild (unlisted channels use the defaults)."""
        rows = await self._query("SELECT * FROM channel_config WHERE guild_id = ? ORDER BY channel_id", (guild_id,))
        return [_config(row) for row in rows]

    async def set_channel_config(self, config: ChannelConfig) -> None:
        """Store the whole config; callers change one field with ``dataclasses.replace``."""
        private = None if config.private_by_default is None else int(config.private_by_default)
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO channel_config"
                " (guild_id, channel_id, enabled, log_questions, private_by_default, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, channel_id) DO UPDATE SET"
                " enabled = excluded.enabled, log_questions = excluded.log_questions,"
                " private_by_default = excluded.private_by_default, updated_at = excluded.updated_at",
                (
                    config.guild_id,
                    config.channel_id,
                    int(config.enabled),
                    int(config.log_questions),
                    private,
                    to_db_ts(utc_now()),
                ),
            )
        logger.info("channel config of %d/%d set to %s", config.guild_id, config.channel_id, config)

    async def forget_user(self, user_id: int) -> int:
        """Erase a user's questions in every guild, their votes, and the votes on their answers.

        Returns the number of questions deleted.
        """
        async with self._transaction() as db:
            await db.execute(
                "DELETE FROM votes WHERE user_id = ? OR answer_id IN (SELECT answer_id FROM queries WHERE user_id = ?)",
                (user_id, user_id),
            )
            cursor = await db.execute("DELETE FROM queries WHERE user_id = ?", (user_id,))
            deleted = cursor.rowcount
        logger.info("forgot user %d: %d questions deleted", user_id, deleted)
        return deleted

    async def purge_before(self, before: datetime) -> int:
        """Delete questions (and votes) older than ``before``; returns the number of questions deleted."""
        cutoff = to_db_ts(before)
        async with self._transaction() as db:
            await db.execute(
                "DELETE FROM votes WHERE ts < ? OR answer_id IN (SELECT answer_id FROM queries WHERE ts < ?)",
                (cutoff, cutoff),
            )
            cursor = await db.execute("DELETE FROM queries WHERE ts < ?", (cutoff,))
            deleted = cursor.rowcount
        logger.info("purged %d questions older than %s", deleted, cutoff)
        return deleted

    async def purge_older_than(self, days: float) -> int:
        """Retention: keep only the last ``days`` days."""
        if days < 0:
            raise ValueError("days must be >= 0")
        return await self.purge_before(utc_now() - timedelta(days=days))

    async def _pairs(self, sql: str, params: list[object]) -> list[tuple[Any, int]]:
        return [(row[0], int(row[1])) for row in await self._query(sql, params)]

    async def stats(
        self, guild_id: int, since: When | None = None, channel_id: int | None = None, top: int = 10
    ) -> GuildStats:
        """Usage of one guild (optionally one channel, optionally from ``since``)."""
        where = "q.guild_id = ?"
        params: list[object] = [guild_id]
        since_bound = None if since is None else lower_bound(since)
        if since_bound is not None:
            where += " AND q.ts >= ?"
            params.append(since_bound)
        if channel_id is not None:
            where += " AND q.channel_id = ?"
            params.append(channel_id)
        ranked = (
            "SELECT normalise_question(q.question) AS nq, COUNT(*) AS n FROM queries q"
            " WHERE {where} AND q.question IS NOT NULL {extra} GROUP BY nq ORDER BY n DESC, nq LIMIT ?"
        )
        total, answered = (
            await self._pairs(f"SELECT COUNT(*), COALESCE(SUM(q.answered), 0) FROM queries q WHERE {where}", params)
        )[0]
        votes_up, votes_down = (
            await self._pairs(
                "SELECT COALESCE(SUM(v.vote = 1), 0), COALESCE(SUM(v.vote = -1), 0)"
                f" FROM votes v JOIN queries q ON q.answer_id = v.answer_id WHERE {where}",
                params,
            )
        )[0]
        return GuildStats(
            guild_id=guild_id,
            channel_id=channel_id,
            since=None if since_bound is None else from_db_ts(since_bound),
            total=total,
            answered=answered,
            per_channel=await self._pairs(
                f"SELECT q.channel_id, COUNT(*) AS n FROM queries q WHERE {where}"
                " GROUP BY q.channel_id ORDER BY n DESC, q.channel_id",
                params,
            ),
            per_day=await self._pairs(
                f"SELECT substr(q.ts, 1, 10) AS day, COUNT(*) FROM queries q WHERE {where} GROUP BY day ORDER BY day",
                params,
            ),
            top_questions=await self._pairs(ranked.format(where=where, extra=""), [*params, top]),
            top_sources=await self._pairs(
                "SELECT json_extract(s.value, '$[0]') AS doc, COUNT(DISTINCT q.id) AS n"
                f" FROM queries q, json_each(q.sources) s WHERE {where}"
                " GROUP BY doc ORDER BY n DESC, doc LIMIT ?",
                [*params, top],
            ),
            gaps=await self._pairs(ranked.format(where=where, extra="AND q.answered = 0"), [*params, top]),
            votes_up=votes_up,
            votes_down=votes_down,
        )
