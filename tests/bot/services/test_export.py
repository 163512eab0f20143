"""Export formats: exact JSON keys, ids as strings, CSV header, bounded exports and the text table."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from bot.records import LogRow, SourceRef
from bot.services.export import COLUMNS, export_bounded, row_to_dict, to_csv, to_json, to_jsonl, to_table

EXPECTED_KEYS = [
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
]


def make_row(n: int = 0, **changes: object) -> LogRow:
    fields: dict[str, object] = {
        "id": n,
        "answer_id": f"{n:032x}",
        "ts": datetime(2024, 5, 1, 12, 0, n % 60, 250_000, tzinfo=UTC),
        "guild_id": 111_111_111_111_111_111,
        "channel_id": 222_222_222_222_222_222,
        "user_id": 333_333_333_333_333_333,
        "interface": "slash",
        "question": f"question number {n}",
        "answered": True,
        "reason": None,
        "sources": (SourceRef("003_a1360f9908bf2d3c", 15, 15), SourceRef("010_beef", 2, 4)),
        "score": 0.75,
        "latency_ms": 12,
        "corpus_version": "v1",
    }
    fields.update(changes)
    return LogRow(**fields)  # type: ignore[arg-type]


def test_json_keys_ids_as_strings_and_sources() -> None:
    record = row_to_dict(make_row())
    assert list(record) == EXPECTED_KEYS == list(COLUMNS)
    assert record["ts"] == "2024-05-01T12:00:00.250Z"
    assert (record["guild_id"], record["channel_id"], record["user_id"]) == (
        "111111111111111111",
        "222222222222222222",
        "333333333333333333",
    )
    assert record["sources"] == ["003_a1360f9908bf2d3c:L15-L15", "010_beef:L2-L4"]
    assert (record["answered"], record["score"], record["latency_ms"]) == (True, 0.75, 12)


def test_missing_ids_and_hidden_questions_are_null() -> None:
    record = row_to_dict(make_row(guild_id=None, channel_id=None, user_id=None, question=None, score=None))
    assert [record[k] for k in ("guild_id", "channel_id", "user_id", "question", "score")] == [None] * 5


def test_json_and_jsonl_parse_back_to_the_same_objects() -> None:
    rows = [make_row(n, question=f"«q{n}»\n") for n in range(3)]
    expected = [row_to_dict(row) for row in rows]
    assert json.loads(to_json(rows)) == expected
    lines = to_jsonl(rows).splitlines()
    assert [json.loads(line) for line in lines] == expected


def test_csv_has_the_header_and_defuses_formulas() -> None:
    rows = [make_row(0), make_row(1, question='=HYPERLINK("http://x")', answered=False, reason="no_match")]
    parsed = list(csv.reader(io.StringIO(to_csv(rows))))
    assert parsed[0] == EXPECTED_KEYS
    first = dict(zip(EXPECTED_KEYS, parsed[1], strict=True))
    assert first["guild_id"] == "111111111111111111"
    assert first["sources"] == "003_a1360f9908bf2d3c:L15-L15 010_beef:L2-L4"
    assert (first["answered"], first["reason"]) == ("true", "")
    second = dict(zip(EXPECTED_KEYS, parsed[2], strict=True))
    assert second["question"] == '\'=HYPERLINK("http://x")'
    assert second["answered"] == "false"


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_is_cut_at_a_whole_row_and_says_so(fmt: str) -> None:
    rows = [make_row(n) for n in range(10)]
    full = export_bounded(rows, fmt)  # type: ignore[arg-type]
    assert (full.truncated, full.rows_included) == (False, 10)
    lines = full.data.decode().splitlines(keepends=True)
    header = 1 if fmt == "csv" else 0
    limit = sum(len(line.encode()) for line in lines[: header + 3]) + 5  # room for 3 rows and a bit

    cut = export_bounded(rows, fmt, max_bytes=limit)  # type: ignore[arg-type]
    assert (cut.truncated, cut.rows_included) == (True, 3)
    assert len(cut.data) <= limit
    assert cut.data == "".join(lines[: header + 3]).encode()

    exact = export_bounded(rows, fmt, max_bytes=len(full.data))  # type: ignore[arg-type]
    assert (exact.truncated, exact.rows_included) == (False, 10)


def test_export_of_no_rows() -> None:
    assert export_bounded([], "jsonl") == (b"", False, 0)
    assert export_bounded([], "csv").data.decode().strip() == ",".join(EXPECTED_KEYS)


def test_table_aligns_columns_and_cuts_long_questions() -> None:
    rows = [
        make_row(0, question="short"),
        make_row(1, question="line one\nline two " + "x" * 100),
        make_row(2, question=None, guild_id=None, score=None),
    ]
    lines = to_table(rows, question_width=30).splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("time (UTC)") and lines[0].endswith("question")
    assert lines[1].startswith("2024-05-01 12:00:00") and lines[1].endswith("short")
    assert lines[2].endswith("line one line two xxxxxxxxxxx…") and len(lines[2].split("  ")[-1]) == 30
    assert "(not logged)" in lines[3]
    question_column = lines[0].index("question")
    assert all(line[question_column - 2 : question_column] == "  " for line in lines)
