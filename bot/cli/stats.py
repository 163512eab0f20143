"""`corpusbot stats`: the moderators' /stats numbers on the host, as text, JSON or a PNG chart."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from bot.records import GuildStats
from bot.settings import Settings
from bot.store import Database


def add_parser(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser("stats", help="usage, answer rate, feedback and coverage gaps (optionally a PNG)")
    stats.add_argument("--guild", type=int, help="only this guild id (default: every guild and DM)")
    stats.add_argument("--channel", type=int, help="only this channel id")
    stats.add_argument("--since", help="ISO date or datetime (UTC), inclusive")
    stats.add_argument("--png", type=Path, metavar="FILE", help="also draw the /stats chart into FILE")
    stats.add_argument("--json", action="store_true", help="print the numbers as JSON")
    stats.set_defaults(handler=cmd_stats)


async def _stats(settings: Settings, args: argparse.Namespace) -> GuildStats:
    async with await Database.open(settings.database_path) as log:
        return await log.stats.of_guild(args.guild, since=args.since, channel_id=args.channel)


def format_stats(stats: GuildStats) -> str:
    """The same overview /stats shows, as plain text."""
    lines = [
        f"questions {stats.total} · answered {stats.answered} ({stats.answer_rate:.0%})",
        f"feedback  👍 {stats.votes_up} 👎 {stats.votes_down} "
        f"(on refusals: 👍 {stats.refusal_votes_up} rightly refused, 👎 {stats.refusal_votes_down} should have been "
        "answered)",
    ]
    for title, items in (
        ("most asked", stats.top_questions),
        ("coverage gaps", stats.gaps),
        ("refusals marked 👎", stats.disputed_gaps),
    ):
        lines.append(f"{title}:")
        lines += [f"  {count}× {text}" for text, count in items] or ["  —"]
    return "\n".join(lines)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = asyncio.run(_stats(settings, args))
    if args.png:
        from bot.services.charts import stats_png  # matplotlib loads only when a chart is asked for

        args.png.write_bytes(stats_png(stats))
    print(json.dumps(stats.to_dict(), ensure_ascii=False) if args.json else format_stats(stats))
    if args.png:
        print(f"chart written to {args.png}")
    return 0
