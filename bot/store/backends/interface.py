"""What the table modules may use of a connection, whichever backend is behind it.

Both the SQLite connection (`bot.store.connection`) and the PostgreSQL one
(`bot.store.backends.postgres`) satisfy these protocols; the table modules are typed against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from bot.store.backends.dialect import Dialect


class Session(Protocol):
    """One transaction: statements written with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any:
        """Run one statement; await the result (or ``async with`` it) for a cursor."""
        ...

    async def executemany(self, sql: str, parameters: Any, /) -> Any:
        """Run one statement for each parameter row."""
        ...


class StoreConnection(Protocol):
    """The database connection shared by every table module."""

    dialect: Dialect
    applied_now: list[int]

    async def open(self) -> Any:
        """Connect and bring the schema up to date; raises if the database cannot be reached."""
        ...

    async def query(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Every row of one read."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Any]:
        """One write transaction, yielding a `Session`; rolled back if anything in it fails."""
        ...

    async def reset(self) -> None:
        """Drop the connection after a failure; the next operation connects afresh."""
        ...

    async def close(self) -> None:
        """Close for good (at shutdown)."""
        ...

    async def schema_versions(self) -> list[int]:
        """The migrations recorded in the database, oldest first."""
        ...
