"""Renderings of log rows for `corpusbot logs` and moderator downloads: JSON, JSON Lines, CSV, a text table.

Ids are strings because Discord snowflakes exceed the integers JavaScript (and many JSON readers) keep
exactly. CSV cells that a spreadsheet would run as a formula are prefixed with ``'``: questions are
typed by strangers and the file is opened by moderators.
"""

from __future__ import annotations

import csv
import io
import json
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
    return json.dumps([row_to_dict(row) for row in rows], ensure_ascii=False, indent=2)


def to_jsonl(rows: Iterable[LogRow]) -> str:
    """One JSON object per line, the form that streams and appends well."""
    return "".join(_jsonl_lines(rows))


def _jsonl_lines(rows: Iterable[LogRow]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row_to_dict(row), ensure_ascii=False) + "\n"


def _defuse(text: str | None) -> str:
    if text is None:
        return ""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _csv_lines(rows: Iterable[LogRow]) -> Iterator[str]:
    yield _csv_line(COLUMNS)
    for row in rows:
        record = row_to_dict(row)
        record["question"] = _defuse(row.question)
        record["reason"] = _defuse(row.reason)
        record["answered"] = "true" if row.answered else "false"
        record["sources"] = " ".join(record["sources"])
        yield _csv_line("" if value is None else value for value in record.values())


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
    flat = " ".join(text.split())
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
            row.interface,
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
