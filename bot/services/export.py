r"""Renderings of log rows for `corpusbot logs` and moderator downloads: JSON, JSON Lines, CSV, a text table.

Ids are strings because Discord snowflakes exceed the integers JavaScript (and many JSON readers) keep
exactly. Questions are typed by strangers and read by operators, so nothing a user typed reaches a
terminal or a spreadsheet as a command: control characters (escape sequences that retitle the window,
write the clipboard with OSC 52 or clear the screen; bidi overrides that reorder a line) are shown as
``\x1b``-style escapes in the table and CSV and escaped losslessly in JSON, and CSV cells that a
spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal, NamedTuple

from bot.records import LogRow, iso_z

COLUMNS = (
    "ts",
    "guild_id",
    "channel_id",
    "user_id",
    "interface",
    "question",
    "answered",
    "reason",
    "sources",
    "score",
    "latency_ms",
    "corpus_version",
)

DISCORD_ATTACHMENT_LIMIT = 7 * 1024 * 1024  # keeps an export under Discord's smallest upload limit

ExportFormat = Literal["jsonl", "csv"]


class Export(NamedTuple):
    """An export's bytes, whether rows were left out to fit, and how many rows it holds."""

    data: bytes
    truncated: bool
    rows_included: int


# DEL, C1 controls and the bidi marks/embeddings/overrides/isolates; with C0 controls, all that is unsafe.
_RAW_IN_JSON = "\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c"
_UNSAFE = re.compile(f"[\x00-\x1f{_RAW_IN_JSON}]")
_UNSAFE_IN_JSON = re.compile(f"[{_RAW_IN_JSON}]")  # json.dumps already escapes C0 controls


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""``text`` with every control or bidi character replaced by a visible escape such as ``\x1b``."""
    return _UNSAFE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _safe_json(text: str) -> str:
    """``json.dumps`` leaves DEL, C1 and bidi characters raw; escaping them keeps the data and the terminal intact."""
    return _UNSAFE_IN_JSON.sub(_json_escape, text)


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)


def row_to_dict(row: LogRow) -> dict[str, Any]:
    """The export contract: exactly ``COLUMNS``, in that order."""
    return {
        "ts": iso_z(row.ts),
        "guild_id": _id(row.guild_id),
        "channel_id": _id(row.channel_id),
        "user_id": _id(row.user_id),
        "interface": row.interface,
        "question": row.question,
        "answered": row.answered,
        "reason": row.reason,
        "sources": [str(source) for source in row.sources],
        "score": row.score,
        "latency_ms": row.latency_ms,
        "corpus_version": row.corpus_version,
    }


def to_json(rows: Iterable[LogRow]) -> str:
    """A JSON array of row objects."""
    return _safe_json(json.dumps([row_to_dict(row) for row in rows], ensure_ascii=False, indent=2))


def to_jsonl(rows: Iterable[LogRow]) -> str:
    """One JSON object per line, the form that streams and appends well."""
    return "".join(_jsonl_lines(rows))


def _jsonl_lines(rows: Iterable[LogRow]) -> Iterator[str]:
    for row in rows:
        yield _safe_json(json.dumps(row_to_dict(row), ensure_ascii=False)) + "\n"


def _defuse(text: str | None) -> str:
    """A cell a spreadsheet shows as text and a terminal (``cat``) shows harmlessly."""
    if text is None:
        return ""
    text = printable(text)
    return "'" + text if text.lstrip().startswith(("=", "+", "-", "@")) else text


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _csv_lines(rows: Iterable[LogRow]) -> Iterator[str]:
    yield _csv_line(COLUMNS)
    for row in rows:
        record = row_to_dict(row)
        record["answered"] = "true" if row.answered else "false"
        record["sources"] = " ".join(record["sources"])
        yield _csv_line(_defuse(value) if isinstance(value, str) else value for value in record.values())


def to_csv(rows: Iterable[LogRow]) -> str:
    """A header row then one line per row; sources are space-separated."""
    return "".join(_csv_lines(rows))


def export_bounded(rows: Iterable[LogRow], fmt: ExportFormat, max_bytes: int = DISCORD_ATTACHMENT_LIMIT) -> Export:
    """UTF-8 export cut at a whole row so it fits ``max_bytes``; says whether rows were left out."""
    lines = _jsonl_lines(rows) if fmt == "jsonl" else _csv_lines(rows)
    header_lines = 1 if fmt == "csv" else 0
    chunks: list[bytes] = []
    size = 0
    truncated = False
    for line in lines:
        encoded = line.encode("utf-8")
        if size + len(encoded) > max_bytes:
            truncated = True
            break
        chunks.append(encoded)
        size += len(encoded)
    return Export(b"".join(chunks), truncated, max(len(chunks) - header_lines, 0))


def _cell(text: str, width: int) -> str:
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def to_table(rows: Iterable[LogRow], question_width: int = 60) -> str:
    """Aligned columns for a terminal; long questions are cut, newlines flattened."""
    header = ("time (UTC)", "guild", "channel", "user", "via", "ok", "score", "ms", "question")
    body = [
        (
            row.ts.strftime("%Y-%m-%d %H:%M:%S"),
            _id(row.guild_id) or "-",
            _id(row.channel_id) or "-",
            _id(row.user_id) or "-",
            printable(row.interface),
            "yes" if row.answered else "no",
            "-" if row.score is None else f"{row.score:.2f}",
            str(row.latency_ms),
            "(not logged)" if row.question is None else _cell(row.question, question_width),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip()
        for line in (header, *body)
    )
