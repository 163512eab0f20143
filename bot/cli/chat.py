"""`corpusbot chat`: a terminal session that behaves like a channel with the bot in it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli.lineedit import enable_line_editing, page, screen_lines
from bot.cli.terminal import format_answer, format_sources
from bot.cli.timeline import format_timeline
from bot.services.corpus import CorpusService, Origin
from bot.settings import Settings

PROMPT = "ask> "
HISTORY_FILE = "chat_history"  # next to the database: the host's data folder
HELP = """Type a question and press Enter. Commands:
  /sources            list the documents
  /timeline [topic]   the dated events, in order (of a topic if given)
  /help               this help
  /quit               leave (Ctrl-D works too)"""


async def session(
    service: CorpusService,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    page_lines: int | None = None,
) -> None:
    """Read lines until /quit or end of input; answer each like the channel would. With ``page_lines``
    (an interactive terminal), outputs longer than that are shown a screen at a time."""
    colour = sys.stdout.isatty()

    async def show(text: str) -> None:
        if page_lines is None or text.count("\n") < page_lines:
            write(text)
        else:
            await asyncio.to_thread(page, text, page_lines, read, write)

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
            await show(format_sources(service.engine.sources(), service.engine.version))
        elif command == "/timeline":
            topic = line.strip().partition(" ")[2].strip() or None
            await show(format_timeline(await service.timeline(topic, None, None, origin), colour=colour))
        elif command.startswith("/") and len(command) > 1 and " " not in command:
            write(f"Unknown command {command}. {HELP}")
        else:
            served = await service.ask(line, origin)
            await show(format_answer(served.answer, colour=colour))


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    save_history = enable_line_editing(Path(settings.database_path).with_name(HISTORY_FILE)) if interactive else None

    async def run() -> None:
        service = await CorpusService.start(settings)
        try:
            await session(service, page_lines=screen_lines() if interactive else None)
        finally:
            await service.close()
            if save_history is not None:
                save_history()

    asyncio.run(run())
    return 0
