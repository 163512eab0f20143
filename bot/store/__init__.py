"""Storage (SQLite via aiosqlite): one `Database` composed of per-table modules. Never imports discord.

Only the services use it; the records it reads and writes live in `bot.records`.
"""

from bot.store.database import Database
from bot.store.migrations import MIGRATIONS, apply_migrations

__all__ = ["MIGRATIONS", "Database", "apply_migrations"]
