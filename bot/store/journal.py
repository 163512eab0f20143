"""The append-only journal in front of the database: a question is on disk before its answer is sent.

Rows are appended as JSON lines and fsync'ed in groups (one fsync for every row that arrived while
the previous one ran); the writer then copies them into the database and releases the journal once
the database holds everything it contains. A crash (even SIGKILL) between the two leaves the rows in
the journal, and the next start copies them in: the database ignores answer ids it already has, so
replaying twice is harmless. Nothing here knows which database sits behind it.

All file work runs on one dedicated thread, so appends, reads and truncation never interleave. The
file is locked (``flock``) by the process that owns it; another process (a `corpusbot logs` while the
bot runs) gets a `MemoryJournal` instead and never touches the bot's file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
from collections import deque
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from bot.files import open_private
from bot.records import LogEntry, SourceRef

logger = logging.getLogger(__name__)

READ_CHUNK_BYTES = 1 << 20  # how much the writer copies into the database per transaction
COMPACT_BYTES = 8 << 20  # a journal that never empties under load is rewritten past this size
MAX_JOURNAL_BYTES = 256 << 20  # past this (database down for hours), new rows are dropped and counted
MEMORY_ROWS = 20_000  # the bound of a MemoryJournal
_SURROGATE = re.compile("[\ud800-\udfff]")


class JournalFull(Exception):
    """The journal's bound is reached: the rows were not taken (the caller counts them as dropped)."""


class RowQueue(Protocol):
    """What the writer needs: append durably, read from an offset, release what the database holds."""

    def append(self, lines: list[bytes]) -> None:
        """Add ``lines`` durably, or raise (`JournalFull` at the bound)."""

    def read(self, offset: int) -> tuple[list[bytes], int]:
        """Whole lines from ``offset`` and the offset after them (none when caught up)."""

    def release(self, offset: int) -> int:
        """Forget what is before ``offset`` (now in the database); returns the offset to read from next."""

    def close(self) -> None:
        """Release the file (or the memory)."""

    @property
    def rows_at_open(self) -> int:
        """Rows a previous run left to copy in."""


def clean_text(text: str | None) -> str | None:
    """Text every database and encoder accepts: lone surrogates become U+FFFD, NULs are removed."""
    if text is None:
        return None
    # A str never holds a valid surrogate pair (pairs are decoded to one code point), so any is lone.
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def sanitised(entry: LogEntry) -> LogEntry:
    """``entry`` with every text field cleaned, so one user's odd input cannot fail a batch."""
    return replace(
        entry,
        question=clean_text(entry.question),
        reason=clean_text(entry.reason),
        sources=tuple(SourceRef(clean_text(s.doc_id) or "", s.line_start, s.line_end) for s in entry.sources),
    )


def encode(entry: LogEntry) -> bytes:
    """One journal line (the entry must be sanitised)."""
    record = {
        "answer_id": entry.answer_id,
        "ts": entry.ts.isoformat(),
        "interface": entry.interface,
        "question": entry.question,
        "answered": entry.answered,
        "reason": entry.reason,
        "sources": [[s.doc_id, s.line_start, s.line_end] for s in entry.sources],
        "score": entry.score,
        "latency_ms": entry.latency_ms,
        "corpus_version": entry.corpus_version,
        "guild_id": entry.guild_id,
        "channel_id": entry.channel_id,
        "user_id": entry.user_id,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode(line: bytes) -> LogEntry:
    """The entry a journal line holds; raises ValueError (or KeyError/TypeError) on a damaged line."""
    record = json.loads(line)
    return LogEntry(
        interface=record["interface"],
        question=record["question"],
        answered=bool(record["answered"]),
        reason=record["reason"],
        sources=tuple(SourceRef(doc, start, end) for doc, start, end in record["sources"]),
        score=record["score"],
        latency_ms=int(record["latency_ms"]),
        corpus_version=record["corpus_version"],
        guild_id=record["guild_id"],
        channel_id=record["channel_id"],
        user_id=record["user_id"],
        answer_id=record["answer_id"],
        ts=datetime.fromisoformat(record["ts"]),
    )


class FileJournal:
    """The journal file next to the database; every method runs on the writer's file thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = open_private(path, os.O_RDWR | os.O_APPEND)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            raise
        self._size = self._drop_torn_tail()
        self.rows_at_open = self._count_rows()

    def _count_rows(self) -> int:
        """Rows a previous run left (the writer waits for them like for its own)."""
        rows, offset = 0, 0
        while offset < self._size:
            chunk = os.pread(self._fd, min(READ_CHUNK_BYTES, self._size - offset), offset)
            rows += chunk.count(b"\n")
            offset += len(chunk)
        return rows

    def _drop_torn_tail(self) -> int:
        """A crash mid-append can leave a partial last line, never acknowledged: cut it off."""
        size = os.fstat(self._fd).st_size
        if not size:
            return 0
        tail_start = max(size - READ_CHUNK_BYTES, 0)
        tail = os.pread(self._fd, size - tail_start, tail_start)
        if tail.endswith(b"\n"):
            return size
        keep = tail_start + tail.rfind(b"\n") + 1 if b"\n" in tail else tail_start
        os.ftruncate(self._fd, keep)
        os.fsync(self._fd)
        logger.warning("journal %s ended with a partial row (crash mid-write); %d bytes cut", self.path, size - keep)
        return keep

    def append(self, lines: list[bytes]) -> None:
        """See `RowQueue.append`."""
        data = b"".join(lines)
        if self._size + len(data) > MAX_JOURNAL_BYTES:
            raise JournalFull(f"journal {self.path} holds {self._size} bytes not yet in the database")
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)
        self._size += len(data)

    def read(self, offset: int) -> tuple[list[bytes], int]:
        """Whole lines from ``offset`` (at most about one chunk) and the offset after them."""
        data = os.pread(self._fd, min(READ_CHUNK_BYTES, self._size - offset), offset)
        end = data.rfind(b"\n") + 1
        if not end and self._size - offset > len(data):  # one line longer than a chunk
            data = os.pread(self._fd, self._size - offset, offset)
            end = data.rfind(b"\n") + 1
        return data[:end].splitlines(keepends=True), offset + end

    def release(self, offset: int) -> int:
        """Release what the database holds (everything before ``offset``).

        Empties the journal if that is all of it, or rewrites the rest once the released part grows
        large. Returns the offset of the first row kept.
        """
        if offset >= self._size:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
            self._size = 0
            return 0
        if offset < COMPACT_BYTES:
            return offset
        rest = os.pread(self._fd, self._size - offset, offset)
        temporary = self.path.with_name(self.path.name + ".new")
        fd = open_private(temporary, os.O_RDWR | os.O_TRUNC | os.O_APPEND)
        os.write(fd, rest)
        os.fsync(fd)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(temporary, self.path)
        os.close(self._fd)
        self._fd, self._size = fd, len(rest)
        return 0

    def close(self) -> None:
        """See `RowQueue.close`."""
        with contextlib.suppress(OSError):
            os.close(self._fd)


class MemoryJournal:
    """The same queue in memory, bounded: for a process that does not own the journal file."""

    rows_at_open = 0

    def __init__(self, rows: int = MEMORY_ROWS) -> None:
        self._lines: deque[bytes] = deque()
        self._start = 0  # offset (in rows) of the first line still held
        self._rows = rows

    def append(self, lines: list[bytes]) -> None:
        """See `RowQueue.append`."""
        if len(self._lines) + len(lines) > self._rows:
            raise JournalFull(f"{len(self._lines)} rows waiting for the database")
        self._lines.extend(lines)

    def read(self, offset: int) -> tuple[list[bytes], int]:
        """See `RowQueue.read`."""
        skip = offset - self._start
        lines = [self._lines[i] for i in range(skip, min(len(self._lines), skip + 500))]
        return lines, offset + len(lines)

    def release(self, offset: int) -> int:
        """See `RowQueue.release`."""
        while self._start < offset and self._lines:
            self._lines.popleft()
            self._start += 1
        return offset

    def close(self) -> None:
        """See `RowQueue.close`."""
        self._lines.clear()


def open_journal(path: Path) -> RowQueue:
    """The file journal when this process can own it, else a memory one (said once in the process log)."""
    try:
        return FileJournal(path)
    except BlockingIOError:
        logger.info("journal %s is owned by another corpusbot process; this one queues rows in memory", path)
    except OSError as error:
        logger.warning("cannot open the journal %s (%s); rows are queued in memory only", path, error)
    return MemoryJournal()
