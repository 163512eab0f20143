"""`corpusbot chat`: a terminal session that behaves like a channel with the bot in it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from bot.cli.terminal import format_answer, format_sources
from bot.cli.timeline import format_timeline
from bot.documents import skipped_summary
from bot.services.corpus import CorpusService, Origin
from bot.settings import Settings

PROMPT = "ask> "
HELP = """Type a question and press Enter. Commands:
  /sources            list the documents
  /timeline [topic]   the dated events, in order (of a topic if given)
  /help               this help
  /quit               leave (Ctrl-D works too)"""


async def session(
    service: CorpusService, read: Callable[[str], str] = input, write: Callable[[str], None] = print
) -> None:
    """Read lines until /quit or end of input; answer each like the channel would."""
    colour = sys.stdout.isatty()
    write(f"corpusbot · {len(service.engine.corpus.documents)} documents · corpus {service.engine.version}")
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
            engine = service.engine
            write(format_sources(engine.sources(), engine.version, skipped_summary(engine.corpus.skipped)))
        elif command == "/timeline":
            topic = line.strip().partition(" ")[2].strip() or None
            write(format_timeline(await service.timeline(topic, None, None, origin), colour=colour))
        elif command.startswith("/") and len(command) > 1 and " " not in command:
            write(f"Unknown command {command}. {HELP}")
        else:
            served = await service.ask(line, origin)
            write(format_answer(served.answer, colour=colour))


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> None:
        service = await CorpusService.start(settings)
        try:
            await session(service)
        finally:
            await service.close()

    asyncio.run(run())
    return 0
