"""`corpusbot chat`: a terminal session that behaves like a channel with the bot in it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from bot.cli.session import with_services
from bot.cli.terminal import format_answer, format_sources
from bot.cli.timeline import format_timeline
from bot.services.corpus import CorpusService
from bot.services.recording import Origin
from bot.settings import Settings

PROMPT = "ask> "
HELP = """Type a question and press Enter. Commands:
  /sources            list the documents
  /timeline [topic]   the dated events, in order (of a topic if given)
  /help               this help
  /quit               leave (Ctrl-D works too)"""


async def session(
    corpus: CorpusService, read: Callable[[str], str] = input, write: Callable[[str], None] = print
) -> None:
    """Read lines until /quit or end of input; answer each like the channel would."""
    colour = sys.stdout.isatty()
    write(f"corpusbot · {corpus.document_count} documents · corpus {corpus.version}")
    write("Ask a question, or /help.")
    origin = Origin(interface="chat")
    while True:
        try:
            line = await asyncio.to_thread(read, PROMPT)
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        command = line.strip().partition(" ")[0]
        if command in ("/quit", "/exit"):
            return
        if command == "/help":
            write(HELP)
        elif command == "/sources":
            write(format_sources(corpus.sources(), corpus.version))
        elif command == "/timeline":
            topic = line.strip().partition(" ")[2].strip() or None
            write(format_timeline(await corpus.timeline(topic, None, None, origin), colour=colour))
        elif command.startswith("/") and len(command) > 1 and " " not in command:
            write(f"Unknown command {command}. {HELP}")
        else:
            served = await corpus.ask(line, origin)
            write(format_answer(served.answer, colour=colour))


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot chat`: the interactive session."""
    with_services(settings, lambda services: session(services.corpus))
    return 0
