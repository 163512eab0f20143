"""`corpusbot timeline` and `corpusbot timeline-eval`: the corpus's dated events in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import textwrap
from pathlib import Path

from bot.services.corpus import CorpusService, Origin, load_engine
from bot.settings import Settings
from retrieval.evaluation.timeline import read_gold, score_timeline
from retrieval.timeline.events import Timeline, TimelineEvent, build_timeline

logger = logging.getLogger(__name__)

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_WIDTH = 88
NO_EVENTS = "No dated events match."


def add_parser(commands: argparse._SubParsersAction) -> None:
    timeline = commands.add_parser("timeline", help="the corpus's dated events in order, each quoted and cited")
    timeline.add_argument("topic", nargs="?", help="only events about this (words, as in a question)")
    timeline.add_argument("--since", help="YYYY, YYYY-MM or YYYY-MM-DD: events whose period ends on or after it")
    timeline.add_argument("--until", help="YYYY, YYYY-MM or YYYY-MM-DD: events whose period starts on or before it")
    timeline.add_argument("--json", action="store_true", help="print the events as a JSON list")
    timeline.set_defaults(handler=cmd_timeline)

    evaluation = commands.add_parser("timeline-eval", help="precision / recall of the timeline on a gold file")
    evaluation.add_argument("file", type=Path, help='JSON list: {"doc_id", "date", "granularity", "sentence_contains"}')
    evaluation.add_argument("--json", action="store_true")
    evaluation.set_defaults(handler=cmd_timeline_eval)


def _heading(event: TimelineEvent, colour: bool) -> str:
    label = event.label + (" (planned)" if event.planned else "")
    return f"{_BOLD}{label}{_RESET}" if colour else label


def format_event(event: TimelineEvent, *, colour: bool = False) -> str:
    """One event: its date, the sentence as a quote, then every source with lines and link."""
    body = "\n".join("  > " + line for line in textwrap.wrap(event.text, width=_WIDTH))
    out = [_heading(event, colour), body]
    for source in event.sources:
        same = source.line_start == source.line_end
        lines = f"line {source.line_start}" if same else f"lines {source.line_start}-{source.line_end}"
        cited = f"     — {source.title} · {lines}\n       {source.url}"
        out.append(f"{_DIM}{cited}{_RESET}" if colour else cited)
    return "\n".join(out)


def format_timeline(timeline: Timeline, *, colour: bool = False) -> str:
    """The whole timeline as the terminal shows it, with a summary line first."""
    scope = [f"{len(timeline.events)} of {timeline.total} dated events", f"corpus {timeline.corpus_version[:8]}"]
    if timeline.topic:
        scope.append(f"topic {timeline.topic!r}")
    if timeline.since:
        scope.append(f"since {timeline.since}")
    if timeline.until:
        scope.append(f"until {timeline.until}")
    if not timeline.events:
        return f"{NO_EVENTS} ({' · '.join(scope)})"
    return "\n\n".join([" · ".join(scope), *(format_event(e, colour=colour) for e in timeline.events)])


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> Timeline:
        service = await CorpusService.start(settings)
        try:
            return await service.timeline(args.topic, args.since, args.until, Origin(interface="timeline"))
        finally:
            await service.close()

    timeline = asyncio.run(run())
    if args.json:
        print(json.dumps(timeline.to_list(), ensure_ascii=False, indent=2))
    else:
        print(format_timeline(timeline, colour=sys.stdout.isatty()))
    return 0


def cmd_timeline_eval(args: argparse.Namespace, settings: Settings) -> int:
    gold = read_gold(args.file)
    score = score_timeline(build_timeline(load_engine(settings)).events, gold)
    if args.json:
        print(json.dumps(score.to_dict(), ensure_ascii=False))
        return 0
    print(f"precision  {score.precision:.3f} ({score.correct}/{score.predicted} dated mentions right)")
    print(f"recall     {score.recall:.3f} ({score.found}/{score.gold} gold mentions found)")
    print(f"events     {score.event_recall:.3f} ({score.events_found}/{score.events} gold events found)")
    print(
        f"entries    {score.entries_per_event:.2f} per gold event ({score.entries} entries; "
        f"an event's mentions spread over {score.split:.2f} entries on average)"
    )
    for event in score.events_missed:
        print(f"  missed event  {event}")
    for miss in score.misses:
        print(f"  missed   {miss}")
    for extra in score.extras:
        print(f"  extra    {extra}")
    return 0
