"""B5: overload degrades politely — busy replies past the queue, no second reply or traceback for an
expired interaction, and bursts through a real `corpusbot run` process leave nobody without a response."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.discord.app import CorpusBot
from bot.discord.overload import AckDeadline
from bot.i18n import say
from tests.bot.conftest import bot_settings
from tests.fakediscord import FakeDiscord, connected
from tests.load_discord import run_load

QUESTION = {"question": "Who is Steve Ellner?"}


async def test_past_the_queue_a_question_is_told_busy_at_once(fake_discord: FakeDiscord) -> None:
    async with connected(CorpusBot(bot_settings(answer_queue=0)), fake_discord):
        interaction = await fake_discord.send_command("ask", QUESTION)
        await interaction.wait_for_response()
    assert interaction.callback_type == 4 and interaction.ephemeral
    assert say("busy") in interaction.callback["data"]["content"]  # type: ignore[index]
    fake_discord.assert_clean()


async def test_an_expired_interaction_gets_no_second_reply_and_no_traceback(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake_discord.interaction_deadline = -1.0  # every acknowledgement arrives too late
    caplog.set_level(logging.INFO)
    async with connected(CorpusBot(bot_settings()), fake_discord):
        for _ in range(5):
            await fake_discord.send_command("ask", QUESTION)
        await fake_discord.wait_for(lambda: sum(r.error_code == 10062 for r in fake_discord.requests) == 5)
    assert [r.error_code for r in fake_discord.requests if r.status >= 400] == [10062] * 5  # one try each
    assert not any(r.exc_info for r in caplog.records)
    warnings = [r.getMessage() for r in caplog.records if "expired before they could be acknowledged" in r.getMessage()]
    assert len(warnings) == 2 and "4 interactions" in warnings[1]  # the first at once, the rest summed at shutdown


def test_an_interaction_is_too_old_by_its_own_age_not_by_a_skewed_clock() -> None:
    deadline = AckDeadline(budget=2.5)
    skew = timedelta(seconds=30)  # the local clock runs 30 s ahead of Discord's
    now = datetime.now(UTC)
    assert not deadline.missed(now - skew)
    assert not deadline.missed(now - skew - timedelta(seconds=2))
    assert deadline.missed(now - skew - timedelta(seconds=4))


@pytest.mark.parametrize(("count", "rate"), [(300, None), (600, 100.0)])
async def test_bursts_through_a_real_process_leave_nobody_without_a_response(
    tmp_path: Path, count: int, rate: float | None
) -> None:
    report = await run_load(count, workdir=tmp_path, rate=rate)
    assert report.interactions == count
    assert report.answered + report.busy == count and report.without_response == 0
    assert (report.second_replies, report.tracebacks) == (0, 0)
    assert report.answered_missing_from_log == 0
    assert report.longest_stall_ms is not None  # the bot reports it at shutdown (figures: README "Reliability")
