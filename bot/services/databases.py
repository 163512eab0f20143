"""Operating the database itself, for `corpusbot db` and `corpusbot check`: schema, moving house, naming it.

The CLI reaches storage only through the services; this is that door for whole-database work.
"""

from __future__ import annotations

import logging

from bot.settings import Settings
from bot.store import Database
from bot.store.backends import describe, is_postgres
from bot.store.copy import TableReport, copy_database

logger = logging.getLogger(__name__)

__all__ = ["TableReport", "copy", "database_name", "is_shared", "migrate"]


def database_name(target: str) -> str:
    """The database for messages: the SQLite path, or the URL without its password."""
    return describe(target)


def is_shared(settings: Settings) -> bool:
    """Whether the configured database can be shared by several processes (PostgreSQL)."""
    return is_postgres(settings.database)


async def migrate(target: str) -> tuple[list[int], list[int]]:
    """Open (which applies missing migrations); returns (applied now, every recorded version)."""
    async with await Database.open(target) as database:
        return database.connection.applied_now, await database.connection.schema_versions()


async def copy(source: str, destination: str) -> list[TableReport]:
    """Copy every table from ``source`` into ``destination`` (both migrated first); see bot/store/copy.py."""
    async with await Database.open(source) as src, await Database.open(destination) as dst:
        await src.writer.flush()
        return await copy_database(src.connection, dst.connection)
