"""Which database a URL names: ``sqlite:///PATH`` (the default, one process) or ``postgresql://…`` (shared).

Both connections offer the same small interface (``open``, ``query``, ``transaction``, ``reset``,
``schema_versions``, ``dialect``), so the table modules never ask which one they are on.
"""

from __future__ import annotations

from pathlib import Path

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def is_postgres(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database (paths are always SQLite)."""
    return isinstance(target, str) and target.startswith(POSTGRES_PREFIXES)


def sqlite_path(target: str | Path) -> Path:
    """The file of a SQLite target: a path, or ``sqlite:///relative`` / ``sqlite:////absolute``."""
    if isinstance(target, Path):
        return target
    if target.startswith(SQLITE_PREFIX):
        return Path(target[len(SQLITE_PREFIX) :])
    if "://" in target:
        raise ValueError(f"unsupported database URL {target!r}: use sqlite:///PATH or postgresql://…")
    return Path(target)


def describe(target: str | Path) -> str:
    """The target for messages: the path, or the URL without its password."""
    if is_postgres(target):
        from bot.store.backends.postgres import redact

        return redact(str(target))
    return str(sqlite_path(target))
