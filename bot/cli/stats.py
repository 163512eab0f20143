"""`corpusbot stats`: the moderators' /stats numbers on the host, as text, JSON or a PNG chart."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from bot.records import GuildStats
from bot.services.moderation import ModerationService
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register `corpusbot stats`."""
    stats = commands.add_parser("stats", help="usage, answer rate, feedback and coverage gaps (optionally a PNG)")
    stats.add_argument("--guild", type=int, help="only this guild id (default: every guild and DM)")
    stats.add_argument("--channel", type=int, help="only this channel id")
    stats.add_argument("--since", help="ISO date or datetime (UTC), inclusive")
    stats.add_argument("--png", type=Path, metavar="FILE", help="also draw the /stats chart into FILE")
    stats.add_argument("--json", action="store_true", help="print the numbers as JSON")
    stats.set_defaults(handler=cmd_stats)


async def _stats(settings: Settings, args: argparse.Namespace) -> tuple[GuildStats, bytes | None]:
    async with ModerationService.opened(settings) as moderation:
        stats = await moderation.host_stats(args.guild, since=args.since, channel_id=args.channel)
        return stats, (await moderation.chart(stats) if args.png else None)


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
    """Print the numbers (text or JSON) and, with ``--png``, write the chart."""
    stats, chart = asyncio.run(_stats(settings, args))
    if chart is not None:
        args.png.write_bytes(chart)
    print(json.dumps(stats.to_dict(), ensure_ascii=False) if args.json else format_stats(stats))
    if args.png:
        print(f"chart written to {args.png}")
    return 0
