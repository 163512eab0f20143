"""`corpusbot timeline` and `corpusbot timeline-eval`: the corpus's dated events in the terminal."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from bot.cli.session import with_services
from bot.services.container import Services
from bot.services.recording import Origin
from bot.settings import Settings
from bot.wording import TIMELINE_PAGE_SIZE, line_label
from retrieval.evaluation.timeline import TimelineScore
from retrieval.timeline.events import Source, Timeline, TimelineEvent

logger = logging.getLogger(__name__)

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_WIDTH = 88
NO_EVENTS = "No dated events match."


def add_parser(commands: argparse._SubParsersAction) -> None:
    """`timeline` and `timeline-eval`."""
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


def _lines(source: Source) -> str:
    same = source.line_start == source.line_end
    return str(source.line_start) if same else f"{source.line_start}-{source.line_end}"


def _also_in(first: Source, sources: Sequence[Source]) -> list[str]:
    """The other mentions, grouped by document: "also in: Title · lines 23, 27", then one link per place.

    Two sentences of one line are one place.
    """
    groups: dict[str, dict[str, Source]] = {}
    for source in sources:
        groups.setdefault(source.doc_id, {}).setdefault(source.url, source)
    out = []
    for doc_id, places in groups.items():
        group = list(places.values())
        name = "same document" if doc_id == first.doc_id else group[0].title
        lines = ", ".join(_lines(source) for source in group)
        out.append(f"     also in: {name} · line{'s' if len(group) > 1 else ''} {lines}")
        out.extend(f"       {source.url}" for source in group)
    return out


def format_event(event: TimelineEvent, *, colour: bool = False) -> str:
    """One event: its date, the clearest sentence as a quote and its source, then where else it is told."""
    body = "\n".join("  > " + line for line in textwrap.wrap(event.text, width=_WIDTH))
    first = event.sources[0]
    citations = [
        f"     — {first.title} · {line_label(first.line_start, first.line_end, '-')}\n       {first.url}",
        *_also_in(first, event.sources[1:]),
    ]
    cited = "\n".join(citations)
    return "\n".join([_heading(event, colour), body, f"{_DIM}{cited}{_RESET}" if colour else cited])


def _scope(timeline: Timeline) -> list[str]:
    scope = [f"{len(timeline.events)} of {timeline.total} dated events", f"corpus {timeline.corpus_version[:8]}"]
    if timeline.topic:
        scope.append(f"topic {timeline.topic!r}")
    if timeline.since:
        scope.append(f"since {timeline.since}")
    if timeline.until:
        scope.append(f"until {timeline.until}")
    return scope


def format_timeline(timeline: Timeline, *, colour: bool = False) -> str:
    """The whole timeline as the terminal shows it, with a summary line first."""
    scope = _scope(timeline)
    if not timeline.events:
        return f"{NO_EVENTS} ({' · '.join(scope)})"
    return "\n\n".join([" · ".join(scope), *(format_event(e, colour=colour) for e in timeline.events)])


def timeline_pages(timeline: Timeline, *, per_page: int = TIMELINE_PAGE_SIZE, colour: bool = False) -> list[str]:
    """The timeline in pages of ``per_page`` events, as the Discord reply pages it; each page says which it is."""
    if not timeline.events:
        return [format_timeline(timeline, colour=colour)]
    per_page = max(1, per_page)
    chunks = [timeline.events[i : i + per_page] for i in range(0, len(timeline.events), per_page)]
    scope = _scope(timeline)
    return [
        "\n\n".join([" · ".join([*scope, f"page {n}/{len(chunks)}"]), *(format_event(e, colour=colour) for e in chunk)])
        for n, chunk in enumerate(chunks, 1)
    ]


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot timeline`: the events as text or JSON (logged as a "timeline" question)."""

    async def build(services: Services) -> Timeline:
        return await services.corpus.timeline(args.topic, args.since, args.until, Origin(interface="timeline"))

    timeline = with_services(settings, build)
    if args.json:
        print(json.dumps(timeline.to_list(), ensure_ascii=False, indent=2))
    else:
        print(format_timeline(timeline, colour=sys.stdout.isatty()))
    return 0


def cmd_timeline_eval(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot timeline-eval`: precision and recall against a gold file."""

    async def score(services: Services) -> TimelineScore:
        return services.corpus.evaluate_timeline(args.file)

    result = with_services(settings, score, database=False)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0
    print(f"precision  {result.precision:.3f} ({result.correct}/{result.predicted} dated mentions right)")
    print(f"recall     {result.recall:.3f} ({result.found}/{result.gold} gold mentions found)")
    print(f"events     {result.event_recall:.3f} ({result.events_found}/{result.events} gold events found)")
    print(
        f"entries    {result.entries_per_event:.2f} per gold event ({result.entries} entries; "
        f"an event's mentions spread over {result.split:.2f} entries on average)"
    )
    for event in result.events_missed:
        print(f"  missed event  {event}")
    for miss in result.misses:
        print(f"  missed   {miss}")
    for extra in result.extras:
        print(f"  extra    {extra}")
    return 0
