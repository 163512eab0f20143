"""The PostgreSQL backend (asyncpg): what several bot processes share, with LISTEN/NOTIFY between them.

It speaks the same small interface as the SQLite connection — ``query``, ``transaction`` (yielding an
object with aiosqlite's ``execute``/``executemany`` subset), ``reset``, ``close`` — so the table modules
write their SQL once with ``?`` placeholders, translated here to PostgreSQL's ``$1, $2, …``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Sequence
from types import TracebackType
from typing import Any

import asyncpg

from bot.store.backends.dialect import POSTGRES, Dialect
from bot.store.backends.postgres_schema import apply_migrations

logger = logging.getLogger(__name__)

Listener = Callable[[str], None]
LISTEN_RETRY_SECONDS = 1.0
POOL_SIZE = 8


@functools.lru_cache(maxsize=256)
def translate(sql: str) -> str:
    """``?`` → ``$n`` outside quoted literals and identifiers (the table modules' SQL is written for SQLite)."""
    out: list[str] = []
    quote: str | None = None
    number = 0
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out)


def _rowcount(status: str) -> int:
    """Asyncpg reports ``DELETE 3`` / ``UPDATE 1`` / ``INSERT 0 2``: the last word is the row count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


class Cursor:
    """The rows of one statement, shaped like the bits of sqlite3's cursor the table modules read."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> asyncpg.Record | None:
        """The first row, or None."""
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[asyncpg.Record]:
        """Every row."""
        return list(self._rows)


class _Execution:
    """Awaitable and usable with ``async with``, like aiosqlite's ``execute`` result."""

    def __init__(self, run: Awaitable[Cursor]) -> None:
        self._run = run
        self._cursor: Cursor | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._run.__await__()

    async def __aenter__(self) -> Cursor:
        self._cursor = await self._run
        return self._cursor

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._cursor = None


class Session:
    """One pooled connection inside one transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> _Execution:
        """Run one statement; await it, or use it with ``async with``, for its rows and row count."""
        return _Execution(self._execute(sql, params))

    async def _execute(self, sql: str, params: Sequence[object]) -> Cursor:
        statement = await self._conn.prepare(translate(sql))
        if statement.get_attributes():  # it returns rows
            rows = await statement.fetch(*params)
            return Cursor(rows, len(rows))
        await statement.fetch(*params)
        return Cursor([], _rowcount(statement.get_statusmsg()))

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement for each parameter row (asyncpg pipelines them)."""
        await self._conn.executemany(translate(sql), list(rows))


class PostgresConnection:
    """A pool for queries and writes, plus one dedicated connection that LISTENs."""

    dialect: Dialect = POSTGRES

    def __init__(self, url: str, *, timeout: float = 5.0, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self._timeout = timeout
        self._pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._pool_lock = asyncio.Lock()
        self._listeners: dict[str, list[Listener]] = {}
        self._on_reconnect: list[Callable[[], None]] = []
        self._listen_task: asyncio.Task[None] | None = None
        self._listening = False
        self.applied_now: list[int] = []  # migrations this process applied when it connected

    def __str__(self) -> str:
        """The URL without its password, for logs and messages."""
        return redact(self.url)

    async def open(self) -> None:
        """Connect and bring the schema up to date; raises if the server cannot be reached."""
        await self._ensure_pool()

    async def _ensure_pool(self) -> asyncpg.Pool:
        async with self._pool_lock:
            if self._pool is None:
                pool = await asyncpg.create_pool(
                    self.url, min_size=1, max_size=self._pool_size, timeout=self._timeout, command_timeout=60
                )
                try:
                    async with pool.acquire() as conn:
                        self.applied_now = await apply_migrations(conn)
                except BaseException:
                    await pool.close()
                    raise
                self._pool = pool
            return self._pool

    async def query(self, sql: str, params: Sequence[object] = ()) -> list[asyncpg.Record]:
        """Run one read on a pooled connection and return every row."""
        pool = await self._ensure_pool()
        return list(await pool.fetch(translate(sql), *params))

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        """One transaction on one pooled connection; rolled back (and re-raised) if anything fails."""
        pool = await self._ensure_pool()
        async with pool.acquire() as conn, conn.transaction():
            yield Session(conn)

    async def notify(self, channel: str, payload: str) -> None:
        """Tell every process listening on ``channel`` (this one included)."""
        pool = await self._ensure_pool()
        await pool.execute("SELECT pg_notify($1, $2)", channel, payload)

    async def reset(self) -> None:
        """Drop the pool after a failure; the next operation connects afresh."""
        async with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pool.close(), self._timeout)
            if not pool.is_closing():
                pool.terminate()

    async def close(self) -> None:
        """Stop listening and close the pool (at shutdown)."""
        if self._listen_task is not None:
            self._listen_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listen_task
            self._listen_task = None
        await self.reset()

    async def schema_versions(self) -> list[int]:
        """The migrations recorded in the database, oldest first."""
        rows = await self.query("SELECT version FROM schema_migrations ORDER BY version")
        return [row[0] for row in rows]

    # -- LISTEN -------------------------------------------------------------------------------------

    def listen(self, channel: str, callback: Listener) -> None:
        """Call ``callback(payload)`` for every NOTIFY on ``channel``, from any process."""
        self._listeners.setdefault(channel, []).append(callback)
        if self._listen_task is None:
            self._listen_task = asyncio.create_task(self._listen_forever(), name="postgres-listen")

    @property
    def subscribed(self) -> bool:
        """Whether anything called ``listen``."""
        return bool(self._listeners)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Called after the listening connection was lost and is back: notifications may have been missed."""
        self._on_reconnect.append(callback)

    async def listening(self, timeout: float = 10.0) -> None:
        """Wait until LISTEN is in place (so a NOTIFY sent after this returns is seen)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._listening:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("LISTEN connection not established")
            await asyncio.sleep(0.02)

    async def _listen_forever(self) -> None:
        """Keep one LISTEN connection up; after a loss, tell ``on_reconnect`` callers what they missed."""
        first = True
        while True:
            try:
                await self._listen_once(reconnected=not first)
                first = False
            except (OSError, asyncpg.PostgresError, TimeoutError):
                logger.warning("cannot LISTEN on %s; retrying", self, exc_info=True)
            await asyncio.sleep(LISTEN_RETRY_SECONDS)

    async def _listen_once(self, *, reconnected: bool) -> None:
        """Returns when the connection is lost."""
        conn = await asyncpg.connect(self.url, timeout=self._timeout)
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        try:
            for channel in self._listeners:
                await conn.add_listener(channel, self._dispatch)
            self._listening = True
            if reconnected:
                logger.warning("LISTEN connection to %s is back; dropping cached shared state", self)
                for callback in self._on_reconnect:
                    callback()
            while not lost.is_set() and not conn.is_closed():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), LISTEN_RETRY_SECONDS)
        finally:
            self._listening = False
            if not conn.is_closed():
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)

    def _dispatch(self, _conn: object, _pid: int, channel: str, payload: str) -> None:
        for callback in self._listeners.get(channel, []):
            try:
                callback(payload)
            except Exception:
                logger.exception("listener on %s failed", channel)


def redact(url: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db``."""
    scheme, sep, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{location}"
