"""Storage of the query log and moderation data (SQLite via aiosqlite). Never imports discord."""

from bot.store.export import (
    DISCORD_ATTACHMENT_LIMIT,
    Export,
    export_bounded,
    row_to_dict,
    to_csv,
    to_json,
    to_jsonl,
    to_table,
)
from bot.store.migrations import MIGRATIONS, apply_migrations
from bot.store.models import (
    ChannelConfig,
    GuildStats,
    Interface,
    LogEntry,
    LogFilter,
    LogRow,
    SourceRef,
    new_answer_id,
)
from bot.store.querylog import QueryLog

__all__ = [
    "DISCORD_ATTACHMENT_LIMIT",
    "MIGRATIONS",
    "ChannelConfig",
    "Export",
    "GuildStats",
    "Interface",
    "LogEntry",
    "LogFilter",
    "LogRow",
    "QueryLog",
    "SourceRef",
    "apply_migrations",
    "export_bounded",
    "new_answer_id",
    "row_to_dict",
    "to_csv",
    "to_json",
    "to_jsonl",
    "to_table",
]
