"""Usage statistics of one guild for moderators: volume, answer rate, top questions and sources, gaps.

Every query starts from ``guild_id = ?`` and only ever adds AND-ed conditions, so nothing a moderator
passes in can reach another guild's rows.
"""

from __future__ import annotations

from typing import Any

from bot.records import GuildStats, When
from bot.store.backends.interface import StoreConnection
from bot.store.timestamps import from_db_ts, lower_bound


class Statistics:
    """Aggregate reads over questions and votes."""

    def __init__(self, connection: StoreConnection) -> None:
        self._connection = connection

    async def _pairs(self, sql: str, params: list[object]) -> list[tuple[Any, int]]:
        return [(row[0], int(row[1])) for row in await self._connection.query(sql, params)]

    async def of_guild(
        self, guild_id: int | None, since: When | None = None, channel_id: int | None = None, top: int = 10
    ) -> GuildStats:
        """Usage of one guild (optionally one channel, optionally from ``since``).

        ``guild_id=None`` is the host's view of every guild and DM (`corpusbot stats`), never reachable
        from Discord.
        """
        dialect = self._connection.dialect
        where = "q.guild_id = ?" if guild_id is not None else "TRUE"
        params: list[object] = [guild_id] if guild_id is not None else []
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
        votes = (
            "SELECT COUNT(*) FILTER (WHERE v.vote = 1), COUNT(*) FILTER (WHERE v.vote = -1)"
            f" FROM votes v JOIN queries q ON q.answer_id = v.answer_id WHERE {where}"
        )
        votes_up, votes_down = (await self._pairs(votes, params))[0]
        refusal_up, refusal_down = (await self._pairs(votes + " AND q.answered = 0", params))[0]
        per_day = "SELECT substr(q.ts, 1, 10) AS day, {count} FROM queries q WHERE {where} GROUP BY day ORDER BY day"
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
            per_day=await self._pairs(per_day.format(count="COUNT(*)", where=where), params),
            answered_per_day=await self._pairs(per_day.format(count="SUM(q.answered)", where=where), params),
            top_questions=await self._pairs(ranked.format(where=where, extra=""), [*params, top]),
            top_sources=await self._pairs(
                f"SELECT {dialect.source_doc} AS doc, COUNT(DISTINCT q.id) AS n"
                f" FROM queries q, {dialect.source_rows} WHERE {where}"
                " GROUP BY doc ORDER BY n DESC, doc LIMIT ?",
                [*params, top],
            ),
            gaps=await self._pairs(ranked.format(where=where, extra="AND q.answered = 0"), [*params, top]),
            votes_up=votes_up,
            votes_down=votes_down,
            refusal_votes_up=refusal_up,
            refusal_votes_down=refusal_down,
            disputed_gaps=await self._pairs(
                "SELECT normalise_question(q.question) AS nq, COUNT(*) AS n"
                f" FROM votes v JOIN queries q ON q.answer_id = v.answer_id WHERE {where}"
                " AND q.answered = 0 AND v.vote = -1 AND q.question IS NOT NULL"
                " GROUP BY nq ORDER BY n DESC, nq LIMIT ?",
                [*params, top],
            ),
        )
