"""B7: `corpusbot logs` never hands a user's escape sequences to the operator's terminal or spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.cli.main import main
from tests.bot.cli.test_cli import log_questions

pytestmark = pytest.mark.usefixtures("restore_logging")

HOSTILE = (
    "\x1b]0;owned\x07 retitle",  # OSC 0: window title
    "\x1b]52;c;ZWNobyBoaQ==\x07 clipboard",  # OSC 52: write the clipboard
    "\x1b[2J\x1b[H clear",  # clear screen
    "\x9b31m C1 CSI",  # 8-bit CSI
    "abc\u202eevil\u202c bidi",  # right-to-left override
    '=HYPERLINK("http://x") formula',
    " -2+3 spaced formula",  # the log keeps it trimmed: "-2+3 …"
)
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_table_and_csv_show_control_characters_as_visible_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    log_questions(*HOSTILE)
    for argv in (["logs"], ["logs", "--csv"], ["logs", "export", "--format", "csv"]):
        out = run(capsys, *argv)
        assert not any(raw in out for raw in RAW), argv
        assert "\\x1b]52;c;" in out and "\\u202e" in out
    rows = list(csv.DictReader(io.StringIO(run(capsys, "logs", "--csv"))))
    cells = {row["question"] for row in rows}
    assert '\'=HYPERLINK("http://x") formula' in cells and "'-2+3 spaced formula" in cells


def test_json_escapes_every_control_character_without_losing_it(capsys: pytest.CaptureFixture[str]) -> None:
    log_questions(*HOSTILE)
    for argv in (["logs", "--json"], ["logs", "export"]):
        out = run(capsys, *argv)
        assert not any(raw in out for raw in RAW), argv
    questions = {row["question"] for row in json.loads(run(capsys, "logs", "--json"))}
    assert questions == {q.strip() for q in HOSTILE}  # lossless: the data is the user's text, escaped only on the wire
