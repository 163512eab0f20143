"""End to end: the real bot against the fake Discord — /ask, /sources, /help, mentions, buttons, bad input."""

from __future__ import annotations

import time

import pytest

from bot.discord.app import CorpusBot
from bot.records import LogFilter
from retrieval.engine import Engine
from retrieval.models import Answer
from tests.bot.conftest import bot_settings, sent_mentions_are_none
from tests.fakediscord import FakeDiscord, connected


def bot_messages(fake: FakeDiscord, channel: object) -> list:
    return [m for m in fake.channel_messages(channel) if m.author_id == fake.bot_user.id]


async def bot_reply(fake: FakeDiscord, channel: object, count: int = 1):
    """The bot's ``count``-th message in ``channel``, once it has been sent."""
    await fake.wait_for(lambda: len(bot_messages(fake, channel)) >= count)
    return bot_messages(fake, channel)[count - 1]


async def test_commands_are_synced_at_start(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    names = {command["name"] for command in fake_discord.commands()}
    assert {"ask", "sources", "help"} <= names


async def test_ask_answers_with_quotes_links_and_buttons(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    interaction = await fake_discord.send_command(
        "ask",
        {"question": "Who is Steve Ellner?"},
        guild=fake_discord.guild_a,
        channel=fake_discord.channel_a1,
        user=fake_discord.member_user,
    )
    answer = await interaction.wait_for_answer()
    assert interaction.deferred and not answer.ephemeral
    embed = answer.embeds[0]
    assert "associate managing editor of the journal Latin American Perspectives" in embed["description"]
    assert "`seeds/003_a1360f9908bf2d3c.txt#L33-L33`" in embed["description"]
    assert "2026-01-06" in embed["description"] and "Confidence" in embed["footer"]["text"]
    ids = answer.custom_ids()
    assert any(i.startswith("ctx:003_a1360f9908bf2d3c:") for i in ids)
    assert sum(i.startswith("vote:") for i in ids) == 2
    sent_mentions_are_none(fake_discord)

    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(guild_id=fake_discord.guild_a.id))
    assert len(rows) == 1
    row = rows[0]
    assert (row.channel_id, row.user_id, row.interface, row.answered) == (
        fake_discord.channel_a1.id,
        fake_discord.member_user.id,
        "slash",
        True,
    )
    assert str(row.sources[0]) == "003_a1360f9908bf2d3c:L33-L33"


async def test_unanswerable_question_abstains_visibly(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    interaction = await fake_discord.send_command("ask", {"question": "Who wrote Hamlet?"})
    embed = (await interaction.wait_for_answer()).embeds[0]
    assert "Not in the corpus" in embed["title"]
    assert "Hamlet" in embed["description"] and "Closest passages" in embed["description"]


async def test_private_answers_are_ephemeral(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    interaction = await fake_discord.send_command("ask", {"question": "Who is Ricardo Vaz?", "private": True})
    assert (await interaction.wait_for_answer()).ephemeral


async def test_sources_and_help(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    sources = await (await fake_discord.send_command("sources")).wait_for_answer()
    text = sources.text()
    assert "CIA Drone Strike Targets Venezuelan Drug Port" in text and "(inferred)" in text
    assert live_bot.services.corpus.engine.version[:8] in text
    help_text = (await (await fake_discord.send_command("help")).wait_for_answer()).text()
    assert "/ask" in help_text and "/timeline" in help_text


async def test_more_and_context_buttons_answer_the_clicker_privately(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    asked = await fake_discord.send_command("ask", {"question": "What happened to Maduro?"})
    answer = await asked.wait_for_answer()
    more = next(i for i in answer.custom_ids() if i.startswith("more:"))
    clicked = await fake_discord.click(answer, more, user=fake_discord.mod_user)
    page = await clicked.wait_for_answer()
    assert page.ephemeral and page.embeds[0]["description"]
    context = next(i for i in answer.custom_ids() if i.startswith("ctx:"))
    clicked = await fake_discord.click(answer, context, user=fake_discord.mod_user)
    shown = await clicked.wait_for_answer()
    assert shown.ephemeral and "Maduro" in shown.embeds[0]["description"]
    vote = next(i for i in answer.custom_ids() if i.startswith("vote:up:"))
    voted = await (await fake_discord.click(answer, vote, user=fake_discord.mod_user)).wait_for_answer()
    assert voted.ephemeral and "helpful" in voted.content


async def test_mention_is_answered_as_a_reply_and_others_ignored(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    channel = fake_discord.channel_a2
    await fake_discord.send_message("Who is Ricardo Vaz?", channel=channel, author=fake_discord.member_user)
    asked = await fake_discord.send_message(
        f"{fake_discord.bot_user.mention} Who is Ricardo Vaz?",
        channel=channel,
        author=fake_discord.member_user,
        mentions_bot=True,
    )
    reply = await bot_reply(fake_discord, channel)
    assert reply.payload.get("message_reference", {}).get("message_id") in (asked.id, str(asked.id))
    assert "Caracas-based journalist Ricardo Vaz" in reply.embeds[0]["description"].replace("**", "")
    await fake_discord.wait_until_idle(live_bot)
    assert len(bot_messages(fake_discord, channel)) == 1  # the unmentioned message got nothing
    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(channel_id=channel.id))
    assert [(r.interface, r.guild_id) for r in rows] == [("mention", fake_discord.guild_a.id)]


async def test_everyone_mention_is_not_an_address(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    await fake_discord.send_message("@everyone Who is Ricardo Vaz?", channel=fake_discord.channel_b1)
    await fake_discord.wait_until_idle(live_bot)
    assert not bot_messages(fake_discord, fake_discord.channel_b1)


async def test_bare_mention_replying_to_an_unreadable_message_explains(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    channel = fake_discord.channel_a1
    original = await fake_discord.send_message("Who is Steve Ellner?", channel=channel, author=fake_discord.mod_user)
    await fake_discord.send_message(
        fake_discord.bot_user.mention,
        channel=channel,
        mentions_bot=True,
        reply_to=original,
        author=fake_discord.member_user,
    )
    reply = await bot_reply(fake_discord, channel)
    assert "can only read messages that mention me" in reply.text()


async def test_bare_mention_replying_to_a_readable_message_answers_it(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    channel = fake_discord.channel_a1
    original = await fake_discord.send_message(
        f"{fake_discord.bot_user.mention} Who is Steve Ellner?",
        channel=channel,
        mentions_bot=True,
        author=fake_discord.mod_user,
    )
    await fake_discord.wait_for(lambda: len(fake_discord.channel_messages(channel)) >= 2)
    await fake_discord.send_message(
        fake_discord.bot_user.mention,
        channel=channel,
        mentions_bot=True,
        reply_to=original,
        author=fake_discord.member_user,
    )
    last = await bot_reply(fake_discord, channel, count=2)
    assert "Latin American Perspectives" in last.text().replace("**", "")


@pytest.mark.parametrize(
    "question",
    [
        "@everyone @here who is <@123> and <@&456>?",
        "   ",
        "x" * 5000,
        "'; DROP TABLE queries; --",
        "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block```",
        "¿Quién es Nicolás Maduro?",
        "马杜罗发生了什么？",
        "\u202e\u200b\u0301 odd unicode \U0001f600",
    ],
)
async def test_bad_input_gets_a_polite_answer_and_pings_nobody(
    live_bot: CorpusBot, fake_discord: FakeDiscord, question: str
) -> None:
    interaction = await fake_discord.send_command("ask", {"question": question})
    answer = await interaction.wait_for_answer()
    assert answer.embeds and answer.embeds[0]["description"]
    assert "@everyone" not in answer.text().replace("@\u200beveryone", "")
    sent_mentions_are_none(fake_discord)
    await live_bot.services.database.writer.flush()
    assert await live_bot.services.database.questions.count() == 1


async def test_a_slow_answer_is_deferred_within_the_deadline(
    live_bot: CorpusBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_discord.interaction_deadline = 0.5
    engine = live_bot.services.corpus.engine
    original = engine.ask

    def slow(question: str):
        time.sleep(1.0)
        return original(question)

    monkeypatch.setattr(type(engine), "ask", lambda self, q: slow(q))
    interaction = await fake_discord.send_command("ask", {"question": "Who is Ricardo Vaz?"})
    answer = await interaction.wait_for_answer()
    assert interaction.deferred and "Ricardo Vaz" in answer.text().replace("**", "")


async def test_a_failing_handler_still_answers_the_user(
    live_bot: CorpusBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(live_bot.services.corpus, "ask", broken)
    interaction = await fake_discord.send_command("ask", {"question": "Who is Ricardo Vaz?"})
    answer = await interaction.wait_for_answer()
    assert "something went wrong" in answer.text()


async def test_rate_limit_is_retried(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake_discord.rate_limit_next("create_message", retry_after=0.05)
    channel = fake_discord.channel_b2
    await fake_discord.send_message(
        f"{fake_discord.bot_user.mention} Who is Ricardo Vaz?", channel=channel, mentions_bot=True
    )
    reply = await bot_reply(fake_discord, channel)
    assert "Ricardo Vaz" in reply.text().replace("**", "")
    assert [r.status for r in fake_discord.requests if r.operation_id == "create_message"] == [429, 200]


async def test_cooldown_gets_a_friendly_reply(fake_discord: FakeDiscord) -> None:
    bot = CorpusBot(bot_settings(cooldown_seconds=60))
    async with connected(bot, fake_discord):
        await (await fake_discord.send_command("ask", {"question": "Who is Ricardo Vaz?"})).wait_for_answer()
        second = await (await fake_discord.send_command("ask", {"question": "Who is Steve Ellner?"})).wait_for_answer()
    assert second.ephemeral and "please wait" in second.text()


async def test_autocomplete_offers_real_names_and_keeps_the_typed_text(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    typed = await fake_discord.send_autocomplete("ask", {"question": "what did Delcy Ro"}, focused="question")
    await typed.wait_for_response()
    values = [choice["value"] for choice in typed.choices]
    assert values[:2] == ["what did Delcy Ro", "what did Delcy Rodríguez"]
    plain = await fake_discord.send_autocomplete("ask", {"question": "what did the"}, focused="question")
    await plain.wait_for_response()
    assert [choice["value"] for choice in plain.choices] == ["what did the"]


async def test_waiting_until_idle_covers_a_slow_reply(
    live_bot: CorpusBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Engine.ask

    def slow(self: Engine, question: str) -> Answer:
        time.sleep(0.3)
        return original(self, question)

    monkeypatch.setattr(Engine, "ask", slow)
    channel = fake_discord.channel_b2
    await fake_discord.send_message(
        f"{fake_discord.bot_user.mention} Who is Ricardo Vaz?", channel=channel, mentions_bot=True
    )
    await fake_discord.wait_until_idle(live_bot)
    assert len(bot_messages(fake_discord, channel)) == 1
    interaction = await fake_discord.send_command("ask", {"question": "Who is Steve Ellner?"})
    await fake_discord.wait_until_idle(live_bot)
    assert interaction.messages and "Ellner" in interaction.messages[0].text()
