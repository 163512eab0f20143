"""`corpusbot timeline`, `timeline-eval`, chat's /timeline, and the log row every timeline query leaves."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.cli.chat import MORE_PROMPT, PROMPT, session
from bot.cli.main import main
from bot.records import LogFilter
from bot.services.container import Services
from bot.services.corpus import CorpusService
from bot.services.recording import Origin
from bot.settings import Settings
from bot.store import Database
from bot.wording import TIMELINE_PAGE_SIZE as PAGE_SIZE
from retrieval.engine import Engine
from retrieval.timeline.events import build_timeline

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold_timeline.json"


@pytest.fixture
async def services(seed_engine: Engine, isolated_settings: Path) -> AsyncIterator[Services]:
    services = Services(Settings(), seed_engine, await Database.open(isolated_settings))
    yield services
    await services.close()


async def test_timeline_queries_are_logged(services: Services) -> None:
    service = services.corpus
    origin = Origin(interface="slash", guild_id=7, channel_id=8, user_id=9)
    timeline = await service.timeline("Panama", "1989", None, origin)
    empty = await service.timeline(None, "2099", None, Origin(interface="chat"))
    assert timeline.events and not empty.events
    assert services.database is not None
    await services.database.writer.flush()
    rows = await services.database.questions.fetch(LogFilter(interface="timeline", oldest_first=True))
    assert [(r.question, r.answered) for r in rows] == [("Panama", True), ("(all)", False)]
    first = rows[0]
    assert (first.guild_id, first.channel_id, first.user_id) == (7, 8, 9)
    assert first.corpus_version == service.engine.version and first.sources
    assert rows[1].reason == "no dated events match"


async def test_timeline_works_without_a_log(seed_engine: Engine) -> None:
    service = CorpusService(Settings(), seed_engine, None)
    assert (await service.timeline("Thanksgiving", None, None, Origin(interface="timeline"))).events


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--json", "--since", "2025-12-26", "--until", "2025-12-26"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["date"] for r in records] == ["2025", "2025", "2025", "2025-12", "2025-12-22", "2025-12-26"]
    assert list(records[-1]) == ["date", "granularity", "qualifier", "planned", "text", "sources"]
    assert records[-1]["sources"][0]["doc_id"] == "002_f4aac6a760c41ec4"


def test_cli_text_lists_label_quote_and_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "Panama", "--until", "1989"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 of 28 dated events · corpus ")
    assert "20 Dec 1989\n  > On December 20, 1989, U.S. President George H.W. Bush ordered" in out
    # the invasion's other mentions are cited, not repeated as entries
    assert "     also in: same document · lines 23, 27, 29, 63, 73, 89\n" in out and out.count("\n1989\n") == 0
    assert "seeds/003_a1360f9908bf2d3c.txt#L" in out and "2025" not in out.split("\n", 1)[1]


def test_cli_refuses_a_malformed_bound(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--since", "December"]) == 1
    assert "invalid date 'December'" in capsys.readouterr().err


def test_cli_says_when_nothing_matches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--since", "2030"]) == 0
    assert capsys.readouterr().out.startswith("No dated events match.")


def test_timeline_eval_reports_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline-eval", str(GOLD), "--json"]) == 0
    score = json.loads(capsys.readouterr().out)
    assert score["precision"] >= 0.85 and score["recall"] >= 0.85
    assert score["events"] == len(json.loads(GOLD.read_text(encoding="utf-8")))
    assert score["event_recall"] >= 0.95 and score["entries_per_event"] <= 1.2 and score["split"] >= 1.0
    assert main(["timeline-eval", str(GOLD)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^entries    \d\.\d\d per gold event \(\d+ entries; ", out, re.MULTILINE)
    assert re.search(r"^events     \d\.\d{3} \(\d+/26 gold events found\)", out, re.MULTILINE)
    assert out.startswith("precision  ") and "\nrecall     " in out
    details = out.splitlines()[4:]
    assert all(line.startswith(("  missed event  ", "  missed   003_", "  extra    003_")) for line in details)


def test_timeline_eval_needs_a_gold_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["timeline-eval"])
    (tmp_path / "bad.json").write_text('{"doc_id": "x"}', encoding="utf-8")
    assert main(["timeline-eval", str(tmp_path / "bad.json")]) == 1
    assert "expected a JSON list" in capsys.readouterr().err


async def test_chat_timeline_command(services: Services) -> None:
    lines: Iterator[str] = iter(["/timeline Thanksgiving", "/quit"])
    written: list[str] = []
    await session(services.corpus, read=lambda _prompt: next(lines), write=written.append)
    shown = "\n".join(written)
    assert "27 Nov 2025\n  > “You probably noticed" in shown
    assert "1989" not in shown


async def test_chat_pages_a_long_timeline(services: Services, seed_engine: Engine) -> None:
    prompts: list[str] = []
    answers: Iterator[str] = iter(["/timeline", "", "/sources", "/quit"])

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    written: list[str] = []
    await session(services.corpus, read=read, write=written.append)
    pages = [w for w in written if " dated events · corpus " in w]
    total = len(build_timeline(seed_engine).events)
    assert len(pages) == 2 and all(f"page {n}/{-(-total // PAGE_SIZE)}" in pages[n - 1] for n in (1, 2))
    assert prompts == [PROMPT, MORE_PROMPT, MORE_PROMPT, PROMPT]  # a command typed at the page prompt runs
    assert pages[0].count("\n\n") == PAGE_SIZE and "1915" in pages[0] and "1915" not in pages[1]
    assert "documents" in written[-1] or "003_a1360f9908bf2d3c" in "\n".join(written[-2:])
