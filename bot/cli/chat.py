"""`corpusbot chat`: a terminal session that behaves like a channel with the bot in it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli.lineedit import enable_line_editing, page, screen_lines
from bot.cli.session import with_services
from bot.cli.terminal import format_answer, format_sources
from bot.cli.timeline import timeline_pages
from bot.services.corpus import CorpusService
from bot.services.documents import skipped_summary
from bot.services.recording import Origin
from bot.settings import Settings

PROMPT = "ask> "
MORE_PROMPT = "-- Enter for the next page, or type a question or command -- "
HISTORY_FILE = "chat_history"  # next to the database: the host's data folder
HELP = """Type a question and press Enter. Commands:
  /sources            list the documents
  /timeline [topic]   the dated events, in order (of a topic if given), a page at a time
  /help               this help
  /quit               leave (Ctrl-D works too)"""


async def session(
    corpus: CorpusService,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    page_lines: int | None = None,
) -> None:
    """Read lines until /quit or end of input; answer each like the channel would.

    With ``page_lines`` (an interactive terminal), outputs longer than that are shown a screen at a time.
    """
    colour = sys.stdout.isatty()

    async def show(text: str) -> None:
        if page_lines is None or text.count("\n") < page_lines:
            write(text)
        else:
            await asyncio.to_thread(page, text, page_lines, read, write)

    write(f"corpusbot · {corpus.document_count} documents · corpus {corpus.version}")
    write("Ask a question, or /help.")
    origin = Origin(interface="chat")
    pending: str | None = None
    while True:
        try:
            line = pending if pending is not None else await asyncio.to_thread(read, PROMPT)
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        pending = None
        command = line.strip().partition(" ")[0]
        if command in ("/quit", "/exit"):
            return
        if command == "/help":
            write(HELP)
        elif command == "/sources":
            skipped = skipped_summary(corpus.summary().skipped)
            await show(format_sources(corpus.sources(), corpus.version, skipped))
        elif command == "/timeline":
            topic = line.strip().partition(" ")[2].strip() or None
            pages = timeline_pages(await corpus.timeline(topic, None, None, origin), colour=colour)
            pending = await _page(pages, read, write)
        elif command.startswith("/") and len(command) > 1 and " " not in command:
            write(f"Unknown command {command}. {HELP}")
        else:
            served = await corpus.ask(line, origin)
            await show(format_answer(served.answer, colour=colour))


async def _page(pages: list[str], read: Callable[[str], str], write: Callable[[str], None]) -> str | None:
    """Show ``pages`` one at a time, as the Discord reply pages them.

    Enter shows the next one; anything else typed stops paging and is returned to be handled as the next input
    (end of input stops too).
    """
    for number, text in enumerate(pages, 1):
        write(text)
        if number == len(pages):
            return None
        try:
            answer = await asyncio.to_thread(read, MORE_PROMPT)
        except (EOFError, KeyboardInterrupt):
            return None
        if answer.strip():
            return answer
    return None


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot chat`: the interactive session (line editing, history and paging in a terminal)."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    save_history = enable_line_editing(Path(settings.database_path).with_name(HISTORY_FILE)) if interactive else None
    try:
        with_services(
            settings, lambda services: session(services.corpus, page_lines=screen_lines() if interactive else None)
        )
    finally:
        if save_history is not None:
            save_history()
    return 0
