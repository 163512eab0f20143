"""`corpusbot logs`: the host's view of the query log — print, filter, export, purge."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from bot.errors import UnusableFile
from bot.records import LogFilter, LogRow
from bot.services.export import export_bounded, to_csv, to_json, to_table
from bot.services.moderation import ModerationService
from bot.settings import Settings

T = TypeVar("T")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """`logs` with its filters and output forms, and its `purge` and `export` actions."""
    logs = commands.add_parser("logs", help="print, export or purge the query log")
    _add_filters(logs)
    form = logs.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON object per row (a JSON list)")
    form.add_argument("--csv", action="store_true", help="CSV with a header row")
    logs.set_defaults(handler=cmd_logs)
    actions = logs.add_subparsers(dest="logs_command", metavar="ACTION")

    purge = actions.add_parser("purge", help="delete rows older than a date")
    purge.add_argument("--before", required=True, help="ISO date or datetime (UTC)")
    purge.set_defaults(handler=cmd_purge)

    export = actions.add_parser("export", help="write the filtered rows to a file (JSON Lines or CSV)")
    _add_filters(export)
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    export.set_defaults(handler=cmd_export)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--guild", type=int, help="only this guild id")
    parser.add_argument("--channel", type=int, help="only this channel id")
    parser.add_argument("--user", type=int, help="only this user id")
    parser.add_argument("--since", help="ISO date or datetime (UTC), inclusive")
    parser.add_argument("--until", help="ISO date or datetime (UTC), inclusive")
    parser.add_argument("--unanswered", action="store_true", help="only questions the bot abstained on")
    parser.add_argument("--search", help="only questions containing this text")
    parser.add_argument("--limit", type=int, default=None, help="at most this many rows (newest first)")


def _filter(args: argparse.Namespace) -> LogFilter:
    return LogFilter(
        guild_id=args.guild,
        channel_id=args.channel,
        user_id=args.user,
        since=args.since,
        until=args.until,
        unanswered=args.unanswered,
        text=args.search,
        limit=args.limit,
    )


def _with_moderation(settings: Settings, action: Callable[[ModerationService], Awaitable[T]]) -> T:
    """Run one action on the moderation service over the settings' database (no corpus is loaded)."""

    async def run() -> T:
        async with ModerationService.opened(settings) as moderation:
            return await action(moderation)

    return asyncio.run(run())


def _rows(settings: Settings, flt: LogFilter) -> list[LogRow]:
    return _with_moderation(settings, lambda moderation: moderation.rows(flt))


def cmd_logs(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot logs`: the filtered rows as a table, JSON or CSV."""
    rows = _rows(settings, _filter(args))
    if args.json:
        print(to_json(rows))
    elif args.csv:
        sys.stdout.write(to_csv(rows))
    else:
        print(to_table(rows) if rows else "No rows match.")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot logs export`: the filtered rows as JSON Lines or CSV, to a file or stdout."""
    rows = _rows(settings, _filter(args))
    export = export_bounded(rows, args.format, max_bytes=sys.maxsize)
    if args.output:
        try:
            args.output.write_bytes(export.data)
        except OSError as error:
            raise UnusableFile(f"cannot write {args.output}: {error.strerror or error}") from error
        print(f"wrote {export.rows_included} rows to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(export.data)
    return 0


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot logs purge --before DATE`: delete older rows."""
    deleted, before = _with_moderation(settings, lambda moderation: moderation.purge_before(args.before))
    print(f"deleted {deleted} rows logged before {before.isoformat()}")
    return 0
