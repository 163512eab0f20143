"""End to end: /timeline through the fake Discord — order, dates, paging, topic, bounds, logging."""

from __future__ import annotations

import re

from bot.discord.app import CorpusBot
from bot.records import LogFilter
from tests.fakediscord import FakeDiscord


def _page_button(message: object, action: str) -> str:
    return next(i for i in message.custom_ids() if i.startswith("page:") and i.endswith(f":{action}"))


async def test_timeline_lists_the_seed_events_in_order_across_pages(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    asked = await fake_discord.send_command("timeline", user=fake_discord.member_user)
    first = await asked.wait_for_answer()
    text = first.text().replace("**", "")
    assert "1915" in text and "Haiti in 1915" in text
    assert text.index("1915") < text.index("1989")
    pages = [text]
    message = first
    while True:
        try:
            button = _page_button(message, "next")
        except StopIteration:
            break
        if message.find_component(button).get("disabled"):
            break
        clicked = await fake_discord.click(first, button, user=fake_discord.member_user)
        await clicked.wait_for_response()
        message = fake_discord.messages[first.id]
        pages.append(message.text().replace("**", ""))
        if len(pages) > 20:
            break
    everything = "\n".join(pages)
    assert "Dec 2025" in everything or "2025-12" in everything
    assert "3 Jan 2026" in everything and "27 Nov 2025" in everything  # Thanksgiving 2025
    years = [int(y) for y in re.findall(r"\b(19[0-9]{2}|20[0-2][0-9])\b", everything.split("\n")[0])]
    assert years == sorted(years)
    fake_discord.assert_clean()


async def test_only_the_invoker_can_page(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    first = await (await fake_discord.send_command("timeline", user=fake_discord.member_user)).wait_for_answer()
    before = first.text()
    clicked = await fake_discord.click(first, _page_button(first, "next"), user=fake_discord.mod_user)
    refusal = await clicked.wait_for_answer()
    assert refusal.ephemeral
    assert fake_discord.messages[first.id].text() == before


async def test_topic_and_bounds_filter_and_are_logged(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    asked = await fake_discord.send_command(
        "timeline",
        {"topic": "Panama", "since": "1989", "until": "1990"},
        guild=fake_discord.guild_a,
        channel=fake_discord.channel_a1,
    )
    text = (await asked.wait_for_answer()).text().replace("**", "")
    events = text.split("\npage ")[0]
    assert "Panama" in events and "1989" in events and "Oct 2025" not in events and "2025\n" not in events
    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(guild_id=fake_discord.guild_a.id))
    assert [(r.interface, r.question, r.answered) for r in rows] == [("timeline", "Panama", True)]


async def test_a_bad_bound_gets_a_friendly_error(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    asked = await fake_discord.send_command("timeline", {"since": "last tuesday"})
    answer = await asked.wait_for_answer()
    assert answer.ephemeral and "2025-10-31" in answer.text()
