"""What every reader gives the loader, and the helpers they share.

A reader turns a file's bytes into the text the bot quotes from and the blocks of that text that may
be quoted. Offsets in blocks refer to ``Extracted.text``; for the formats read as text (txt, md, rst)
that text is the decoded file itself, so a quote is also a verbatim slice of the file at its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol

from retrieval.models import Block


class Unreadable(Exception):
    """The file is not a usable document; the message is the reason shown to the operator."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """A reader's result: the quotable text, its blocks, and whatever metadata the file itself holds."""

    text: str
    blocks: tuple[Block, ...]
    title: str | None = None
    date: date | None = None
    url: str | None = None
    author: str | None = None
    body_start: int = 0  # where quotable text begins (after front matter, a date line, a headline)


class Reader(Protocol):
    """One file format. Register an instance in `retrieval.corpus.readers` to accept new extensions."""

    @property
    def kind(self) -> str:
        """Short name stored on the document: "md"."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Lower-case, with the dot: (".md", ".markdown")."""
        ...

    @property
    def gives(self) -> str:
        """One line for --help and the README: what this format yields."""
        ...

    def read(self, raw: bytes) -> Extracted:
        """The document in ``raw``; raises Unreadable with the reason when there is none."""
        ...

    def plain(self, text: str, kind: str) -> str:
        """The rendered text of a quote taken from this reader's text (markup removed), for link fragments."""
        ...


def decode_text(raw: bytes) -> str:
    """UTF-8 text of a text-format file, or Unreadable naming why not (binary, another encoding, empty)."""
    if b"\0" in raw:
        raise Unreadable("it looks binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"it is not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise Unreadable("it is empty")
    return text


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without surrounding whitespace, or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line (0-based line numbers index it), plus len(text)."""
    starts = [0]
    starts.extend(match.end() for match in re.finditer("\n", text))
    starts.append(len(text))
    return starts


class HeadingPath:
    """The titles of the sections enclosing the current position, by level."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        """A heading of ``level`` was read: it closes the sections at its level or deeper and opens its own."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        if title:
            self._stack.append((level, title))

    @property
    def path(self) -> tuple[str, ...]:
        """Outermost title first, as a block's ``heading`` records it for the index and the citation."""
        return tuple(title for _, title in self._stack)


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(value: object) -> date | None:
    """A day from metadata written as a date, a datetime or text starting YYYY-MM-DD (ISO 8601, RFC 3339)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _ISO_DAY.search(value)
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def introduce_code(blocks: tuple[Block, ...], text: str) -> tuple[Block, ...]:
    """Code blocks given the sentence introducing them as their lead, since code alone rarely says what it does.

    A code block right after a sentence ending in ":" ("To include HTTP/2 support, use:") gets that sentence
    as its lead: indexed with it and shown above it.
    """
    out: list[Block] = []
    for block in blocks:
        before = out[-1] if out else None
        if (
            block.kind == "code"
            and block.lead is None
            and before is not None
            and before.kind != "code"
            and before.heading == block.heading
            and text[before.start : before.end].rstrip().endswith(":")
        ):
            block = replace(block, lead=(before.start, before.end))
        out.append(block)
    return tuple(out)


def collapse(text: str) -> str:
    """Runs of whitespace as single spaces, ends trimmed: how a browser renders text."""
    return " ".join(text.split())
