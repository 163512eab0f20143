"""The ``votes`` table: one 👍 or 👎 per user per answer; a second click replaces the first."""

from __future__ import annotations

from bot.records import utc_now
from bot.store.backends.interface import Session, StoreConnection
from bot.store.timestamps import to_db_ts

_COUNT = "SELECT COUNT(*) FILTER (WHERE vote = 1), COUNT(*) FILTER (WHERE vote = -1) FROM votes WHERE answer_id = ?"


class Votes:
    """Feedback on answers; erasure helpers run inside a caller's transaction."""

    def __init__(self, connection: StoreConnection) -> None:
        self._connection = connection

    async def cast(self, answer_id: str, user_id: int, up: bool) -> tuple[int, int]:
        """Record a 👍 (up) or 👎; a user's second click replaces their vote. Returns (up, down) now."""
        async with self._connection.transaction() as db:
            await db.execute(
                "INSERT INTO votes (answer_id, user_id, vote, ts) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, ts = excluded.ts",
                (answer_id, user_id, 1 if up else -1, to_db_ts(utc_now())),
            )
            async with db.execute(_COUNT, (answer_id,)) as cur:
                row = await cur.fetchone()
        assert row is not None  # an aggregate always yields a row
        return int(row[0]), int(row[1])

    async def counts(self, answer_id: str) -> tuple[int, int]:
        """(up, down) for one answer."""
        row = (await self._connection.query(_COUNT, (answer_id,)))[0]
        return int(row[0]), int(row[1])

    @staticmethod
    async def delete_of_user(db: Session, user_id: int) -> None:
        """Delete a user's votes and every vote on that user's answers (which are being erased)."""
        await db.execute(
            "DELETE FROM votes WHERE user_id = ? OR answer_id IN (SELECT answer_id FROM queries WHERE user_id = ?)",
            (user_id, user_id),
        )

    @staticmethod
    async def delete_before(db: Session, cutoff: str) -> None:
        """Delete votes cast before ``cutoff`` and votes on questions stored before it."""
        await db.execute(
            "DELETE FROM votes WHERE ts < ? OR answer_id IN (SELECT answer_id FROM queries WHERE ts < ?)",
            (cutoff, cutoff),
        )
