"""`corpusbot`: one entry point whose subcommands share the Discord commands' code path."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.bench import run as bench
from bot.cli import chat
from bot.cli import db as cli_db
from bot.cli import index as cli_index
from bot.cli import logs as cli_logs
from bot.cli import stats as cli_stats
from bot.cli import timeline as cli_timeline
from bot.cli import train as cli_train
from bot.cli.session import with_services
from bot.cli.terminal import format_answer, format_sources
from bot.errors import CorpusbotError, CorpusUnreadable
from bot.health import assess, heartbeat_path
from bot.logconfig import configure_logging
from bot.services.container import Services
from bot.services.databases import database_name, is_shared
from bot.services.documents import accepted_kinds, skipped_line, skipped_summary
from bot.services.moderation import database_status
from bot.services.recording import Origin
from bot.services.sharing import announce_reload
from bot.settings import Settings
from retrieval.evaluation.answers import EvalReport

logger = logging.getLogger(__name__)

DEMO_QUESTION = "What happened in Caracas on January 3?"
NO_TOKEN = (
    "corpusbot run needs a Discord bot token: set CORPUSBOT_DISCORD_TOKEN (environment or .env).\n"
    "See README.md, section 'Deploy', to create one. Without a token, `corpusbot chat` answers in this terminal."
)


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand with its options; each sets ``handler(args, settings) -> exit code``."""
    parser = argparse.ArgumentParser(
        prog="corpusbot",
        description="Answer questions with verbatim, cited quotes from a corpus.",
        epilog="documents read from CORPUSBOT_CORPUS_DIR (not recursive), by extension:\n  "
        + "\n  ".join(accepted_kinds())
        + "\nother files are skipped and named by `check`, `sources`, /sources and /reload.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="process log level")
    parser.add_argument("--log-format", choices=["text", "json"], help="process log format (stderr)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer one question (or one per stdin line with -)")
    ask.add_argument("question", help='the question, or "-" to read one question per line from stdin')
    ask.add_argument("--json", action="store_true", help="print JSON (one object per question)")
    ask.set_defaults(handler=cmd_ask)

    sources = commands.add_parser("sources", help="list the corpus documents")
    sources.add_argument("--json", action="store_true")
    sources.set_defaults(handler=cmd_sources)

    commands.add_parser("chat", help="an interactive session that behaves like a channel").set_defaults(
        handler=chat.cmd_chat
    )

    evaluation = commands.add_parser("eval", help="hit@1 / hit@3 / abstention on a question file")
    evaluation.add_argument("file", type=Path, help='JSON Lines: {"q": ..., "gold": [...] | null}')
    evaluation.add_argument("--json", action="store_true")
    evaluation.add_argument("--verbose", action="store_true", help="list the questions that missed")
    evaluation.set_defaults(handler=cmd_eval)

    check = commands.add_parser("check", help="validate settings, corpus and database; print a summary")
    check.add_argument(
        "--health",
        action="store_true",
        help="only judge the running bot from its heartbeat file (gateway, last event); never reads the corpus",
    )
    check.set_defaults(handler=cmd_check)
    commands.add_parser("run", help="start the Discord bot").set_defaults(handler=cmd_run)
    commands.add_parser("reload", help="check the corpus folder and tell a running bot to reload it").set_defaults(
        handler=cmd_reload
    )
    cli_index.add_parser(commands)
    cli_logs.add_parser(commands)
    cli_db.add_parser(commands)
    cli_stats.add_parser(commands)
    bench.add_parser(commands)
    cli_timeline.add_parser(commands)
    cli_train.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, read the settings, configure the process log, run the subcommand; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"Invalid settings:\n{error}", file=sys.stderr)
        return 2
    # Terminal commands print answers on stdout; their process log stays quiet unless asked for.
    quiet = args.command != "run" and "log_level" not in settings.model_fields_set
    level = args.log_level or ("WARNING" if quiet else settings.log_level)
    configure_logging(level, args.log_format or settings.log_format)
    try:
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`corpusbot ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except CorpusbotError as error:  # a problem the user can fix: say what it is, no traceback
        print(f"corpusbot: {error}", file=sys.stderr)
        return 1


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot ask`: one question, or one per stdin line with ``-``, logged like any other."""

    async def ask(services: Services) -> None:
        origin = Origin(interface="cli")
        questions = sys.stdin if args.question == "-" else [args.question]
        for line in questions:
            served = await services.corpus.ask(line.rstrip("\n"), origin)
            if args.json:
                print(json.dumps(served.answer.to_dict(), ensure_ascii=False), flush=True)
            else:
                print(format_answer(served.answer, colour=sys.stdout.isatty()), flush=True)

    with_services(settings, ask)
    return 0


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot sources`: the documents, as text or JSON (skipped files named on stderr with --json)."""

    async def sources(services: Services) -> None:
        records = services.corpus.sources()
        skipped = services.corpus.summary().skipped
        if args.json:
            print(json.dumps(records, ensure_ascii=False, indent=2))
            for file in skipped:  # the JSON stays a list of documents; skipped files go to stderr
                print(f"skipped {skipped_line(file)}", file=sys.stderr)
        else:
            print(format_sources(records, services.corpus.version, skipped_summary(skipped)))

    with_services(settings, sources, database=False)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot eval`: retrieval quality on a question file."""

    async def run(services: Services) -> None:
        print_report(services.corpus.evaluate(args.file), as_json=args.json, verbose=args.verbose)

    with_services(settings, run, database=False)
    return 0


def print_report(report: EvalReport, *, as_json: bool, verbose: bool) -> None:
    """The metrics as one JSON object, or aligned lines (with the misses when ``verbose``)."""
    metrics = report.metrics()
    if as_json:
        print(json.dumps(metrics))
        return
    print(f"questions              {metrics['questions']}")
    print(f"hit@1                  {metrics['hit@1']:.3f}")
    print(f"hit@3                  {metrics['hit@3']:.3f}")
    print(
        f"unanswerable abstained {metrics['unanswerable_abstained']:.3f} "
        f"({report.abstained_unanswerable}/{report.unanswerable})"
    )
    print(
        f"answerable abstained   {metrics['answerable_abstained']:.3f} "
        f"({report.abstained_answerable}/{report.answerable})"
    )
    print(f"calibration error      {metrics['ece']:.3f} (ECE, expected calibration error)")
    print("reliability: confidence bin, mean confidence, first quote holds the answer, questions")
    for low, mean, observed, count in report.reliability():
        print(f"  {low:.1f}-{low + 0.1:.1f}  {mean:.2f}  {observed:.2f}  {count}")
    if verbose:
        for miss in report.misses:
            print(f"  - {miss}")


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate what `run` needs, offline; non-zero exit when the bot could not work.

    With --health, only the running bot's heartbeat file is read (fast enough for a container probe).
    """
    if args.health:
        healthy, lines = assess(heartbeat_path(settings.database_path))
        print("\n".join(lines))
        return 0 if healthy else 1
    problems = 0
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    print(f"token          {'set' if token else 'NOT SET (needed by `corpusbot run`; terminal commands work)'}")
    try:
        with_services(settings, print_corpus_summary, database=False)
    except CorpusUnreadable as error:
        problems += 1
        print(f"corpus         PROBLEM: {error}")
    status = asyncio.run(database_status(settings))
    problems += status.startswith("PROBLEM")
    print(f"database       {database_name(settings.database)} · {status}")
    if settings.shard_count is not None:
        shards = ", ".join(map(str, settings.shard_ids)) or f"all {settings.shard_count}"
        print(f"shards         {shards} of {settings.shard_count}")
    print(f"guild sync     {', '.join(map(str, settings.guild_ids)) or 'global'}")
    print(f"admins         {', '.join(map(str, settings.admin_ids)) or 'application owner only'}")
    print(
        f"cooldown       {settings.cooldown_seconds:g} s per user · answers "
        f"{'private' if settings.private_by_default else 'public'} by default"
    )
    print(f"retention      {settings.log_retention_days} days")
    print("OK" if not problems else f"{problems} problem(s)")
    return 1 if problems else 0


async def print_corpus_summary(services: Services) -> None:
    """The corpus line of `corpusbot check`, and the files it skipped."""
    summary = services.corpus.summary()
    print(
        f"corpus         {services.settings.corpus_dir} · {summary.documents} documents · "
        f"{summary.passages} passages · version {summary.version}"
    )
    for file in summary.skipped:
        print(f"  skipped      {skipped_line(file)}")


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot run`: the Discord bot (needs a token)."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot.discord.app import run_bot  # discord is imported only for the bot itself

    return run_bot(settings)


def cmd_reload(args: argparse.Namespace, settings: Settings) -> int:
    """Load the corpus here first, so a broken folder is reported before a running bot is told."""

    async def reload(services: Services) -> None:
        summary = services.corpus.summary()
        print(f"corpus {summary.version}: {summary.documents} documents, {summary.passages} passages.")
        if is_shared(settings):  # the bot's processes may run on other machines: tell them through the database
            await announce_reload(settings.database, summary.version)
            print(f"Every bot process using {database_name(settings.database)} reloads now.")
        else:
            services.corpus.request_reload()
            print(f"A running bot using {settings.database_path} reloads within a few seconds.")
        if summary.skipped:
            print(skipped_summary(summary.skipped))

    with_services(settings, reload, database=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
