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
from bot.cli import index as cli_index
from bot.cli import logs as cli_logs
from bot.cli import timeline as cli_timeline
from bot.cli.terminal import format_answer, format_sources
from bot.logconfig import configure_logging
from bot.services.corpus import CorpusService, Origin, load_engine, reload_request_path
from bot.settings import Settings
from retrieval.evaluation.answers import evaluate, read_cases

logger = logging.getLogger(__name__)

DEMO_QUESTION = "What happened in Caracas on January 3?"
NO_TOKEN = (
    "corpusbot run needs a Discord bot token: set CORPUSBOT_DISCORD_TOKEN (environment or .env).\n"
    "See README.md, section 'Deploy', to create one. Without a token, `corpusbot chat` answers in this terminal."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpusbot", description="Answer questions with verbatim, cited quotes from a corpus."
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

    commands.add_parser("check", help="validate settings, corpus and database; print a summary").set_defaults(
        handler=cmd_check
    )
    commands.add_parser("run", help="start the Discord bot").set_defaults(handler=cmd_run)
    commands.add_parser("reload", help="check the corpus folder and tell a running bot to reload it").set_defaults(
        handler=cmd_reload
    )
    cli_index.add_parser(commands)
    cli_logs.add_parser(commands)
    bench.add_parser(commands)
    cli_timeline.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    except (FileNotFoundError, ValueError) as error:
        print(f"corpusbot: {error}", file=sys.stderr)
        return 1


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_ask(args, settings))


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    service = await CorpusService.start(settings)
    origin = Origin(interface="cli")
    try:
        questions = sys.stdin if args.question == "-" else [args.question]
        for line in questions:
            served = await service.ask(line.rstrip("\n"), origin)
            if args.json:
                print(json.dumps(served.answer.to_dict(), ensure_ascii=False), flush=True)
            else:
                print(format_answer(served.answer, colour=sys.stdout.isatty()), flush=True)
    finally:
        await service.close()
    return 0


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    engine = load_engine(settings)
    records = engine.sources()
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        print(format_sources(records, engine.version))
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    engine = load_engine(settings)
    report = evaluate(read_cases(args.file), engine.ask)
    metrics = report.metrics()
    if args.json:
        print(json.dumps(metrics))
        return 0
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
    if args.verbose:
        for miss in report.misses:
            print(f"  - {miss}")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate what `run` needs, offline; non-zero exit when the bot could not work."""
    problems = 0
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    print(f"token          {'set' if token else 'NOT SET (needed by `corpusbot run`; terminal commands work)'}")
    try:
        engine = load_engine(settings)
        corpus = engine.corpus
        print(
            f"corpus         {settings.corpus_dir} · {len(corpus.documents)} documents · "
            f"{len(corpus.passages)} passages · version {corpus.version}"
        )
        for name in corpus.skipped:
            print(f"  skipped      {name} (unreadable, empty or binary)")
    except (FileNotFoundError, ValueError, OSError) as error:
        problems += 1
        print(f"corpus         PROBLEM: {error}")
    status = asyncio.run(cli_logs.database_status(settings))
    problems += status.startswith("PROBLEM")
    print(f"database       {settings.database_path} · {status}")
    print(f"guild sync     {', '.join(map(str, settings.guild_ids)) or 'global'}")
    print(f"admins         {', '.join(map(str, settings.admin_ids)) or 'application owner only'}")
    print(
        f"cooldown       {settings.cooldown_seconds:g} s per user · answers "
        f"{'private' if settings.private_by_default else 'public'} by default"
    )
    print(f"retention      {settings.log_retention_days} days")
    print("OK" if not problems else f"{problems} problem(s)")
    return 1 if problems else 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot.discord.app import run_bot  # discord is imported only for the bot itself

    return run_bot(settings)


def cmd_reload(args: argparse.Namespace, settings: Settings) -> int:
    """Load the corpus here first, so a broken folder is reported before a running bot is told."""
    engine = load_engine(settings)
    request = reload_request_path(settings)
    request.parent.mkdir(parents=True, exist_ok=True)
    request.write_text(engine.version + "\n", encoding="utf-8")
    print(
        f"corpus {engine.version}: {len(engine.corpus.documents)} documents, {len(engine.corpus.passages)} passages.\n"
        f"A running bot using {settings.database_path} reloads within a few seconds."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
