"""`corpusbot chat` as a terminal REPL: long outputs paged, arrow keys and history through readline."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.chat import session
from bot.cli.lineedit import page
from bot.cli.terminal import format_sources
from bot.services.container import Services
from tests.bot.cli.test_cli_timeline import services  # noqa: F401  (fixture)


def test_page_asks_before_each_further_screen_and_q_stops() -> None:
    written: list[str] = []
    prompts: list[str] = []
    replies = iter(["", "q"])

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(replies)

    page("\n".join(f"line {n}" for n in range(1, 13)), 4, read, written.append)
    assert written == ["line 1\nline 2\nline 3\nline 4", "line 5\nline 6\nline 7\nline 8"]
    assert prompts == ["-- 4/12 lines · Enter: more · q: stop -- ", "-- 8/12 lines · Enter: more · q: stop -- "]


async def test_a_long_output_is_paged_in_the_chat(services: Services) -> None:  # noqa: F811
    lines: Iterator[str] = iter(["/sources", "", "q", "/quit"])
    prompts: list[str] = []
    written: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(lines)

    shown = format_sources(services.corpus.sources(), services.corpus.version)
    total = shown.count("\n") + 1
    assert total > 6  # the test needs at least three screens of two lines
    await session(services.corpus, read=read, write=written.append, page_lines=2)
    more = [p for p in prompts if p.startswith("-- ")]
    assert more == [f"-- {n}/{total} lines · Enter: more · q: stop -- " for n in (2, 4)]
    pages = written[2:]  # after the banner lines
    assert [chunk.count("\n") for chunk in pages] == [1, 1]  # two screens of 2 lines, then "q"


class Terminal:
    """The leader side of a pseudo-terminal: everything the program wrote, and expectations in order."""

    def __init__(self, fd: int) -> None:
        self.fd, self.output, self.position = fd, b"", 0

    def expect(self, marker: bytes, timeout: float = 120.0) -> None:
        """Wait until ``marker`` appears after the previous expectation (output may arrive in any chunks)."""
        deadline = time.monotonic() + timeout
        while (found := self.output.find(marker, self.position)) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{marker!r} not seen; got {self.output[-300:]!r}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                self.output += os.read(self.fd, 4096)
        self.position = found + len(marker)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_arrow_keys_recall_history_and_history_is_kept(tmp_path: Path) -> None:
    """In a real terminal: Up recalls the previous line (no ``^[[A``), and the history survives the session."""
    env = {**os.environ, "CORPUSBOT_DATABASE_PATH": str(tmp_path / "data" / "corpusbot.sqlite3"), "TERM": "xterm"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "chat"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=tmp_path,
        close_fds=True,
    )
    os.close(follower)
    terminal = Terminal(leader)
    try:
        terminal.expect(b"ask> ")
        os.write(leader, b"/hepl\x7f\x1b[Dl\n")  # fix a typo: Backspace, Left, type: "/help"
        terminal.expect(b"works too)")
        terminal.expect(b"ask> ")  # readline reads keys only once it waits for the next line
        os.write(leader, b"\x1b[A\n")  # Up: the same command again
        terminal.expect(b"works too)")
        terminal.expect(b"ask> ")
        os.write(leader, b"/quit\n")
        process.wait(timeout=30)
    finally:
        process.kill()
        os.close(leader)
    out = terminal.output
    assert b"^[[A" not in out, out[-400:]
    assert b"Unknown command" not in out, out[-400:]
    assert out.count(b"Type a question") == 2
    history = (tmp_path / "data" / "chat_history").read_text(encoding="utf-8")
    assert "/help" in history.splitlines() and "/quit" in history.splitlines()
