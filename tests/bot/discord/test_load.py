"""The load benchmark's code path, small and untimed: everything answered, every row logged or reported."""

from __future__ import annotations

from pathlib import Path

from tests.load_discord import run_load


async def test_concurrent_questions_over_channels_are_all_answered_and_logged(tmp_path: Path) -> None:
    report = await run_load(40, 8, break_database=False, workdir=tmp_path)
    assert (report.answered, report.late_or_failed) == (40, 0)
    assert report.rows_logged == 40 and report.failed_writes == 0


async def test_a_database_made_unwritable_halfway_breaks_no_answer(tmp_path: Path) -> None:
    report = await run_load(40, 8, break_database=True, workdir=tmp_path)
    assert (report.answered, report.late_or_failed) == (40, 0)
    assert report.rows_logged == 20  # the first half, written before the folder disappeared
    assert report.failed_writes == 20  # the second half, each reported rather than raised
