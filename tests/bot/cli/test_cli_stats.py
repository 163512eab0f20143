"""`corpusbot stats`: the /stats numbers on the host, and the same chart as a PNG file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.cli.test_cli import GUILD, log_questions, output

pytestmark = pytest.mark.usefixtures("restore_logging")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_stats_text_json_and_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log_questions("Who is Ricardo Vaz?", "Who wrote Hamlet?", "who wrote hamlet")
    text = output(capsys, "stats")
    assert text.startswith("questions 3 · answered 1 (33%)")
    assert "2× who wrote hamlet" in text.split("coverage gaps:")[1]
    numbers = json.loads(output(capsys, "stats", "--json", "--guild", str(GUILD)))
    assert (numbers["total"], numbers["answered"], numbers["guild_id"]) == (3, 1, str(GUILD))
    assert sum(count for _, count in numbers["answered_per_day"]) == 1
    assert json.loads(output(capsys, "stats", "--json", "--guild", "7"))["total"] == 0  # another guild
    chart = tmp_path / "stats.png"
    assert f"chart written to {chart}" in output(capsys, "stats", "--png", str(chart))
    data = chart.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000
