"""Line editing, history and paging for `corpusbot chat`, like any terminal REPL.

GNU readline (through the standard ``readline`` module) gives arrow keys, Ctrl-R search and a history
kept between sessions; where it is missing (Windows without pyreadline) the chat still works, plainly.
Long outputs are shown a screen at a time and the reader may stop early.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

HISTORY_LENGTH = 1000
MORE_PROMPT = "-- {shown}/{total} lines · Enter: more · q: stop -- "


def enable_line_editing(history: Path) -> Callable[[], None]:
    """Turn on readline for ``input()`` with the history in ``history``; returns the function that saves it."""
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input() still works
        logger.info("readline is not available; line editing is off")
        return lambda: None
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):  # first session, or an unreadable file: start with an empty history
        readline.read_history_file(history)

    def save() -> None:
        try:
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)
        except OSError as error:
            logger.warning("could not save the chat history to %s: %s", history, error)

    return save


def screen_lines() -> int:
    """How many lines one page of output may take: the terminal's height minus the "more" prompt."""
    return max(5, shutil.get_terminal_size().lines - 2)


def page(text: str, lines: int, read: Callable[[str], str], write: Callable[[str], None]) -> None:
    """Write ``text`` ``lines`` at a time, asking before each further screen; "q" stops."""
    rows = text.splitlines()
    for start in range(0, len(rows), lines):
        write("\n".join(rows[start : start + lines]))
        shown = min(start + lines, len(rows))
        if shown >= len(rows):
            return
        try:
            reply = read(MORE_PROMPT.format(shown=shown, total=len(rows)))
        except (EOFError, KeyboardInterrupt):
            return
        if reply.strip().lower().startswith("q"):
            return
