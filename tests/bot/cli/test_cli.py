"""`corpusbot` subcommands through `bot.cli.main.main`: exit codes, output contracts, and a log that may fail."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.services.container import Services
from bot.services.export import COLUMNS
from bot.services.recording import Origin
from bot.settings import Settings
from retrieval.answer.composer import USAGE
from tests.conftest import DATA

pytestmark = pytest.mark.usefixtures("restore_logging")

METRIC_COLUMN = len("unanswerable abstained ")
GUILD, CHANNEL, USER = 2**60 + 1, 2**60 + 2, 2**60 + 3  # snowflakes beyond what a JSON double holds exactly


def output(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    assert main(list(argv)) == code
    return capsys.readouterr().out


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def log_questions(*questions: str) -> None:
    """Ask through the service the bot uses, from a guild channel, so the log holds real rows."""

    async def ask() -> None:
        services = await Services.start(Settings())
        for question in questions:
            await services.corpus.ask(question, Origin("slash", GUILD, CHANNEL, USER))
        await services.close()

    asyncio.run(ask())


@pytest.mark.parametrize("token", [None, "   "])
def test_run_without_a_token_explains_where_to_get_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    if token is not None:
        monkeypatch.setenv("CORPUSBOT_DISCORD_TOKEN", token)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "CORPUSBOT_DISCORD_TOKEN" in err and "README" in err and "corpusbot chat" in err


def test_check_summarises_a_working_setup(capsys: pytest.CaptureFixture[str]) -> None:
    out = output(capsys, "check")
    assert "3 documents" in out and "database" in out and "ok · 0 rows" in out
    assert out.splitlines()[-1] == "OK"


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_check_fails_without_a_corpus(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, state: str
) -> None:
    corpus = tmp_path / "corpus"
    if state == "empty":
        corpus.mkdir()
    monkeypatch.setenv("CORPUSBOT_CORPUS_DIR", str(corpus))
    out = output(capsys, "check", code=1)
    assert "corpus         PROBLEM" in out and out.splitlines()[-1] == "1 problem(s)"


def test_ask_json_from_stdin_keeps_order_one_object_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, "Who is Steve Ellner?\n\nWho wrote Hamlet?\n")
    answers = [json.loads(line) for line in output(capsys, "ask", "--json", "-").splitlines()]
    assert [(a["question"], a["answered"]) for a in answers] == [
        ("Who is Steve Ellner?", True),
        ("", False),
        ("Who wrote Hamlet?", False),
    ]
    assert answers[1]["reason"] == USAGE
    assert list(answers[0]) == ["question", "answered", "reason", "quotes", "suggestions", "confidence", "corrected"]
    assert answers[0]["confidence"] > answers[2]["confidence"] == 0.0


def test_ask_answers_even_when_the_log_cannot_be_opened(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CORPUSBOT_DATABASE_PATH", str(blocker / "corpusbot.sqlite3"))
    assert main(["ask", "Who is Ricardo Vaz?"]) == 0
    captured = capsys.readouterr()
    assert "Ricardo Vaz" in captured.out
    assert "cannot open the query log" in captured.err


def test_sources_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    records = json.loads(output(capsys, "sources", "--json"))
    assert len(records) == 3
    assert all(
        list(r) == ["doc_id", "title", "date", "date_inferred", "url", "passages", "sentences", "sha256"]
        for r in records
    )


def test_logs_json_and_csv_keep_ids_as_strings(capsys: pytest.CaptureFixture[str]) -> None:
    log_questions("Who is Ricardo Vaz?", "Who wrote Hamlet?")
    rows = json.loads(output(capsys, "logs", "--json"))
    assert [(r["question"], r["answered"]) for r in rows] == [
        ("Who wrote Hamlet?", False),
        ("Who is Ricardo Vaz?", True),
    ]
    assert all(list(r) == list(COLUMNS) for r in rows)
    assert (rows[0]["guild_id"], rows[0]["channel_id"], rows[0]["user_id"]) == (str(GUILD), str(CHANNEL), str(USER))
    table = list(csv.reader(io.StringIO(output(capsys, "logs", "--csv"))))
    assert table[0] == list(COLUMNS) and len(table) == 3
    assert table[1][COLUMNS.index("guild_id")] == str(GUILD)


def test_logs_purge_before_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    log_questions("Who is Ricardo Vaz?")
    assert output(capsys, "logs", "purge", "--before", "2000-01-01").startswith("deleted 0 rows")
    assert output(capsys, "logs", "purge", "--before", "2999-01-01").startswith("deleted 1 rows")
    assert json.loads(output(capsys, "logs", "--json")) == []


def test_eval_prints_the_metrics_and_a_reliability_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = output(capsys, "eval", str(DATA / "dev_questions.jsonl")).splitlines()
    metrics_lines = out[:6]
    rows = [line[:METRIC_COLUMN].rstrip() for line in metrics_lines]
    assert rows[:5] == ["questions", "hit@1", "hit@3", "unanswerable abstained", "answerable abstained"]
    assert rows[5] == "calibration error"
    assert all(line[METRIC_COLUMN].isdigit() for line in metrics_lines)  # the values line up
    assert out[6].startswith("reliability:")
    bins = [line.split() for line in out[7:]]
    assert bins and sum(int(row[3]) for row in bins) == 38  # every question falls in one bin
    metrics = json.loads(output(capsys, "eval", "--json", str(DATA / "dev_questions.jsonl")))
    assert {"hit@1", "hit@3", "unanswerable_abstained", "answerable_abstained", "ece"} <= metrics.keys()


def test_chat_answers_lines_until_quit_and_logs_them(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, "/sources\nWho is Ricardo Vaz?\n/quit\nWho is Steve Ellner?\n")
    out = output(capsys, "chat")
    assert "CIA Drone Strike Targets Venezuelan Drug Port" in out  # /sources
    assert "Caracas-based journalist Ricardo Vaz" in out
    assert "Latin American Perspectives" not in out  # the line after /quit was not read
    rows = json.loads(output(capsys, "logs", "--json"))
    assert [(r["interface"], r["question"]) for r in rows] == [("chat", "Who is Ricardo Vaz?")]


def test_chat_leaves_cleanly_at_end_of_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, "Who is Ricardo Vaz?\n")
    out = output(capsys, "chat")
    assert "Ricardo Vaz" in out and out.endswith("\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["logs", "--since", "last tuesday"], "Invalid isoformat string"),
        (["logs", "--limit", "-1"], "limit must be >= 0"),
        (["logs", "purge", "--before", "soon"], "Invalid isoformat string"),
        (["logs", "export", "-o", "missing-folder/rows.jsonl"], "cannot write missing-folder/rows.jsonl"),
        (["eval", "no-such-file.jsonl"], "no-such-file.jsonl"),
    ],
)
def test_problems_the_user_can_fix_are_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("corpusbot: ") and message in err and "Traceback" not in err


def test_an_unusable_database_is_reported_by_the_log_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CORPUSBOT_DATABASE_PATH", str(blocker / "corpusbot.sqlite3"))
    assert main(["logs"]) == 1
    assert "cannot open the database" in capsys.readouterr().err


def test_check_names_skipped_files_and_fails_only_when_nothing_is_readable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    (corpus / "slides.pptx").write_bytes(b"PK\x03\x04")
    monkeypatch.setenv("CORPUSBOT_CORPUS_DIR", str(corpus))
    out = output(capsys, "check", code=1)
    assert "no readable documents" in out and "accepted: .txt, .md, .markdown, .rst, .rest, .html, .htm, .pdf" in out
    assert "slides.pptx (unsupported kind (.pptx)" in out and "scan.pdf (not a readable PDF" in out
    (corpus / "guide.md").write_text("# Guide\n\nRun the tool with care.\n", encoding="utf-8")
    out = output(capsys, "check")
    assert "1 documents" in out and out.splitlines()[-1] == "OK"
    assert "  skipped      scan.pdf (not a readable PDF" in out and "  skipped      slides.pptx" in out
    out = output(capsys, "sources")
    assert "Guide" in out and out.splitlines()[-1].startswith("2 files skipped: scan.pdf (not a readable PDF")
    assert main(["sources", "--json"]) == 0
    captured = capsys.readouterr()
    assert [record["title"] for record in json.loads(captured.out)] == ["Guide"]
    assert "skipped slides.pptx (unsupported kind (.pptx)" in captured.err


def test_help_lists_the_accepted_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for kinds in (".txt", ".md .markdown", ".rst .rest", ".html .htm", ".pdf"):
        assert f"\n  {kinds} " in out, kinds
