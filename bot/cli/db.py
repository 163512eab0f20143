"""`corpusbot db migrate` and `corpusbot db copy`: bring a database's schema up to date, move the log.

Both take database URLs (``sqlite:///PATH`` or ``postgresql://…``); ``migrate`` defaults to the
configured database. Moving from SQLite to PostgreSQL: stop the bot (or accept that questions asked
during the copy stay behind and run the copy again afterwards: it only adds what is missing), copy, then
set CORPUSBOT_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.services.databases import copy, database_name, migrate
from bot.settings import Settings

logger = logging.getLogger(__name__)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register `corpusbot db migrate` and `corpusbot db copy`."""
    db = commands.add_parser("db", help="database schema and moving the log between databases")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    migrate = actions.add_parser("migrate", help="apply the numbered schema migrations the database is missing")
    migrate.add_argument("--url", help="database URL (default: CORPUSBOT_DATABASE_URL or the SQLite file)")
    migrate.set_defaults(handler=cmd_migrate)
    copy = actions.add_parser("copy", help="copy the log to another database (idempotent; counts verified)")
    copy.add_argument("--from", dest="source", help="source URL (default: the configured database)")
    copy.add_argument("--to", dest="destination", required=True, help="destination URL, e.g. postgresql://…")
    copy.set_defaults(handler=cmd_copy)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot db migrate`: open the database (which migrates it) and say what was applied."""
    target = args.url or settings.database
    applied, versions = asyncio.run(migrate(target))
    now = f"applied now: {', '.join(map(str, applied))}" if applied else "already up to date"
    print(f"{database_name(target)}: schema version {max(versions)} ({now})")
    return 0


def cmd_copy(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot db copy`: copy, print each table's counts; exit 1 when a source row is missing."""
    source = args.source or settings.database
    if database_name(source) == database_name(args.destination):
        print("corpusbot db copy: --from and --to name the same database")
        return 2
    reports = asyncio.run(copy(source, args.destination))
    print(f"copied {database_name(source)} → {database_name(args.destination)}")
    for report in reports:
        print(f"  {report}")
    missing = sum(report.missing for report in reports)
    print("verified: every source row is in the destination" if not missing else f"FAILED: {missing} rows missing")
    return 1 if missing else 0
