"""`corpusbot logs`: the host's view of the query log — print, filter, export, purge."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.files import write_private
from bot.records import LogFilter, parse_when
from bot.settings import Settings
from bot.store import Database
from bot.store.export import export_bounded, to_csv, to_json, to_table


def add_parser(commands: argparse._SubParsersAction) -> None:
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


async def _rows(settings: Settings, flt: LogFilter) -> list:
    async with await Database.open(settings.database_path) as log:
        return await log.questions.fetch(flt)


def cmd_logs(args: argparse.Namespace, settings: Settings) -> int:
    rows = asyncio.run(_rows(settings, _filter(args)))
    if args.json:
        print(to_json(rows))
    elif args.csv:
        sys.stdout.write(to_csv(rows))
    else:
        print(to_table(rows) if rows else "No rows match.")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    rows = asyncio.run(_rows(settings, _filter(args)))
    export = export_bounded(rows, args.format, max_bytes=sys.maxsize)
    if args.output:
        write_private(args.output, export.data)
        print(f"wrote {export.rows_included} rows to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(export.data)
    return 0


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    before = parse_when(args.before)
    if not isinstance(before, datetime):
        before = datetime(before.year, before.month, before.day, tzinfo=UTC)

    async def purge() -> int:
        async with await Database.open(settings.database_path) as log:
            return await log.purge_before(before)

    print(f"deleted {asyncio.run(purge())} rows logged before {before.isoformat()}")
    return 0


async def database_status(settings: Settings) -> str:
    """A one-line health summary of the log database, for `corpusbot check`."""
    try:
        async with await Database.open(settings.database_path) as log:
            return f"ok · {await log.questions.count()} rows"
    except Exception as error:  # any failure here is what check must report, whatever its type
        return f"PROBLEM: {error}"
