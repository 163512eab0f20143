"""`corpusbot bench --writes`: both backends measured through the real writer, every row stored (speed not asserted)."""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main

pytestmark = pytest.mark.usefixtures("restore_logging")


def test_write_bench_reports_both_backends_and_loses_nothing(
    capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    assert main(["bench", "--writes", "--rows", "1200", "--postgres-url", postgres_url, "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["backend"] for r in results] == ["sqlite", "postgresql"]
    for result in results:
        assert (result["rows"], result["stored"], result["lost"]) == (1200, 1200, 0)
        assert result["rows_per_s"] > 0 and 0 < result["batch_ms_p50"] <= result["batch_ms_p99"]
    assert "@" in results[1]["target"] and "?host=" in results[1]["target"]


def test_without_a_postgres_url_only_sqlite_is_measured_and_it_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--writes", "--rows", "10"]) == 0
    out = capsys.readouterr().out
    assert "sqlite" in out and "postgresql  not measured: pass --postgres-url" in out
