"""End to end: /logs, /logs export, /stats and /config through the fake Discord — who may use them,
that a server only ever sees its own rows, feedback counts, and channel switches honoured by /ask."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from bot.discord.app import CorpusBot
from bot.errors import StorageUnavailable
from bot.i18n import say
from bot.records import LogEntry, LogFilter, SourceRef, utc_now
from tests.bot.conftest import bot_settings, sent_mentions_are_none
from tests.fakediscord import FakeChannel, FakeDiscord, FakeUser, StoredMessage, connected

MODERATOR_COMMANDS = [
    ("logs show", {}),
    ("logs export", {"format": "csv"}),
    ("stats", {}),
    ("config", {"enabled": False}),
]


def entry(
    channel: FakeChannel, user: FakeUser | None, question: str, *, answered: bool = True, days_ago: float = 0
) -> LogEntry:
    sources = (SourceRef("003_a1360f9908bf2d3c", 33, 33),) if answered else ()
    return LogEntry(
        interface="slash",
        question=question,
        answered=answered,
        sources=sources,
        guild_id=channel.guild_id,
        channel_id=channel.id,
        user_id=None if user is None else user.id,
        ts=utc_now() - timedelta(days=days_ago),
    )


async def seed(bot: CorpusBot, *entries: LogEntry) -> None:
    assert bot.services.database is not None
    for item in entries:
        bot.services.database.writer.record(item)
    await bot.services.database.writer.flush()


async def run(
    fake: FakeDiscord,
    name: str,
    options: dict[str, object] | None = None,
    *,
    user: FakeUser | None = None,
    channel: FakeChannel | None = None,
) -> StoredMessage:
    """A moderator (by default) runs the command in channel A1 (by default); the bot's private answer."""
    sent = await fake.send_command(name, options or {}, channel=channel or fake.channel_a1, user=user or fake.mod_user)
    answer = await sent.wait_for_answer()
    assert answer.ephemeral, "moderation answers are only for the caller"
    return answer


@pytest.fixture
async def seeded(live_bot: CorpusBot, fake_discord: FakeDiscord) -> CorpusBot:
    """Two questions in guild A, two in guild B (one by the same member, one containing '%')."""
    fake = fake_discord
    await seed(
        live_bot,
        entry(fake.channel_a1, fake.member_user, "alpha question in A1"),
        entry(fake.channel_a2, fake.mod_user, "alpha gap in A2", answered=False),
        entry(fake.channel_b1, fake.member_user, "secret beta question in B1"),
        entry(fake.channel_b2, fake.mod_user, "secret 100% of beta in B2"),
    )
    return live_bot


async def test_commands_are_registered_for_moderators(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    commands = {command["name"]: command for command in fake_discord.commands()}
    manage_messages = str(1 << 13)
    for name in ("logs", "stats", "config"):
        assert str(commands[name]["default_member_permissions"]) == manage_messages, name
    assert {option["name"] for option in commands["logs"]["options"]} == {"show", "export"}
    assert commands["privacy"].get("default_member_permissions") is None


@pytest.mark.parametrize(("name", "options"), MODERATOR_COMMANDS)
async def test_members_without_permission_are_refused(
    live_bot: CorpusBot, fake_discord: FakeDiscord, name: str, options: dict[str, object]
) -> None:
    answer = await run(fake_discord, name, options, user=fake_discord.member_user)
    assert "Only moderators" in answer.text() and not answer.files
    config = await live_bot.services.channels.get(fake_discord.guild_a.id, fake_discord.channel_a1.id)
    assert config.enabled  # the refused /config changed nothing


async def test_bot_admins_may_moderate_without_the_permission(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    answer = await run(fake_discord, "stats", user=fake_discord.owner_user)  # the application owner
    assert "statistics" in answer.text()


async def test_moderator_commands_are_refused_in_dms(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    answer = await run(fake_discord, "stats", channel=fake_discord.dm_channel(fake_discord.mod_user))
    assert "works in a server" in answer.text()


async def test_configured_role_grants_access_in_its_server_only(fake_discord: FakeDiscord) -> None:
    # The guild id is the @everyone role: every member of guild A becomes a moderator there, not in B.
    bot = CorpusBot(bot_settings(moderator_role_id=fake_discord.guild_a.id))
    async with connected(bot, fake_discord):
        allowed = await run(fake_discord, "stats", user=fake_discord.member_user)
        refused = await run(fake_discord, "stats", user=fake_discord.member_user, channel=fake_discord.channel_b1)
    assert "statistics" in allowed.text()
    assert "Only moderators" in refused.text()
    fake_discord.assert_clean()


async def test_logs_show_only_this_servers_rows(seeded: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    text = (await run(fake, "logs show")).text()
    assert "alpha question in A1" in text and "alpha gap in A2" in text and "secret" not in text
    assert "2 questions" in text


@pytest.mark.parametrize(
    "crafted",
    [
        {"channel": "channel_b1"},
        {"user": "member_user", "text": "beta"},
        {"text": "%"},
        {"text": "secret"},
    ],
)
async def test_crafted_filters_never_reach_another_server(
    seeded: CorpusBot, fake_discord: FakeDiscord, crafted: dict[str, str]
) -> None:
    options = {
        key: getattr(fake_discord, value) if key in ("channel", "user") else value for key, value in crafted.items()
    }
    shown = (await run(fake_discord, "logs show", options)).text()
    assert "No questions match" in shown and "in B1" not in shown and "in B2" not in shown
    exported = await run(fake_discord, "logs export", {"format": "jsonl", **options})
    assert "Nothing to export" in exported.text() and not exported.files


async def test_filters_narrow_within_the_server(seeded: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    by_user = (await run(fake, "logs show", {"user": fake.member_user})).text()
    assert "alpha question in A1" in by_user and "alpha gap" not in by_user
    unanswered = (await run(fake, "logs show", {"unanswered": True})).text()
    assert "alpha gap in A2" in unanswered and "abstained" in unanswered and "alpha question" not in unanswered
    in_channel = (await run(fake, "logs show", {"channel": fake.channel_a2})).text()
    assert "alpha gap in A2" in in_channel and "alpha question" not in in_channel
    future = (await run(fake, "logs show", {"since": "2999-01-01"})).text()
    assert "No questions match" in future


async def test_a_bad_date_gets_a_friendly_error(seeded: CorpusBot, fake_discord: FakeDiscord) -> None:
    for name, options in (("logs show", {}), ("logs export", {"format": "csv"}), ("stats", {})):
        answer = await run(fake_discord, name, {**options, "since": "last tuesday"})
        assert "must be a date like 2025-01-31" in answer.text() and "last tuesday" in answer.text()


async def test_export_is_this_servers_rows_as_a_file(seeded: CorpusBot, fake_discord: FakeDiscord) -> None:
    answer = await run(fake_discord, "logs export", {"format": "jsonl"})
    assert answer.files and answer.files[0].filename.endswith(".jsonl")
    rows = [json.loads(line) for line in answer.files[0].data.decode().splitlines()]
    assert {row["guild_id"] for row in rows} == {str(fake_discord.guild_a.id)}
    assert sorted(row["question"] for row in rows) == ["alpha gap in A2", "alpha question in A1"]
    assert "2 of 2 questions" in answer.content and "cut" not in answer.content
    sent_mentions_are_none(fake_discord)


async def test_a_cut_export_says_so(
    seeded: CorpusBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    header_and_one_row = len((await run(fake_discord, "logs export", {"format": "csv"})).files[0].data) - 10
    monkeypatch.setattr(seeded.get_cog("ModerationCog"), "export_max_bytes", header_and_one_row)
    answer = await run(fake_discord, "logs export", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(answer.files[0].data.decode())))
    assert len(rows) == 1 and rows[0]["guild_id"] == str(fake_discord.guild_a.id)
    assert "1 of 2 questions" in answer.content and "file was cut" in answer.content


async def test_logs_are_paginated_for_the_invoker_only(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await seed(live_bot, *(entry(fake.channel_a1, fake.member_user, f"question number {n}") for n in range(9)))
    message = await run(fake, "logs show")
    assert "question number 8" in message.text() and "question number 0" not in message.text()
    following = next(i for i in message.custom_ids() if i.endswith(":next"))
    refused = await (await fake.click(message, following, user=fake.member_user)).wait_for_answer()
    assert refused.ephemeral and "belong to the person who ran the command" in refused.content
    await (await fake.click(message, following, user=fake.mod_user)).wait_for_response()
    assert "question number 0" in message.text() and "question number 8" not in message.text()
    sent_mentions_are_none(fake)


async def test_feedback_counts_once_per_user_and_survives_a_restart(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with connected(CorpusBot(bot_settings()), fake):
        asked = await fake.send_command("ask", {"question": "Who is Steve Ellner?"}, user=fake.member_user)
        answer = await asked.wait_for_answer()
        up = next(i for i in answer.custom_ids() if i.startswith("vote:up:"))
        down = next(i for i in answer.custom_ids() if i.startswith("vote:down:"))
        for _ in range(2):  # the same user's repeated click is still one vote
            await (await fake.click(answer, up, user=fake.member_user)).wait_for_answer()
        assert "👍 1 👎 0" in (await run(fake, "logs show")).text()
    restarted = CorpusBot(bot_settings())
    async with connected(restarted, fake):  # the old message's buttons reach the new process
        await (await fake.click(answer, down, user=fake.member_user)).wait_for_answer()
        await (await fake.click(answer, up, user=fake.mod_user)).wait_for_answer()
        logs = (await run(fake, "logs show")).text()
        stats = (await run(fake, "stats")).text()
    assert "👍 1 👎 1" in logs and "Who is Steve Ellner" in logs and "answered" in logs
    assert "003_a1360f9908bf2d3c:L33-L33" in logs
    assert "feedback 👍 1 👎 1" in stats
    fake.assert_clean()


async def test_stats_show_usage_answer_rate_and_gaps(seeded: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await seed(
        seeded,
        entry(fake.channel_a1, fake.member_user, "Alpha gap in A2?", answered=False),
        entry(fake.channel_a1, fake.member_user, "ancient question", days_ago=3),
    )
    shown = await run(fake, "stats")
    text = shown.text()
    assert "**4** questions · **2** answered (50%)" in text
    # The chart travels as an attachment the embed shows: a PNG drawn from the same numbers.
    assert shown.embeds[0]["image"]["url"] == "attachment://corpusbot-stats.png"
    assert [(f.filename, f.data[:8]) for f in shown.files] == [("corpusbot-stats.png", b"\x89PNG\r\n\x1a\n")]
    assert shown.payload["attachments"][0]["content_type"] == "image/png"
    assert f"<#{fake.channel_a1.id}> — 3" in text and f"<#{fake.channel_a2.id}> — 1" in text
    assert "**2×** alpha gap in a2" in text  # case and punctuation folded, counted as a coverage gap
    assert "**2×** " in text.split("Most quoted sources")[1] and "003_a1360f9908bf2d3c" in text
    assert "secret" not in text
    recent = (await run(fake, "stats", {"since": utc_now().date().isoformat(), "channel": fake.channel_a2})).text()
    assert "**1** questions" in recent and "ancient" not in recent


async def test_config_shows_and_changes_one_channel(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    shown = (await run(fake, "config")).text()
    assert "Bot:** on" in shown and "logging:** on" in shown and "server default (public)" in shown
    changed = (await run(fake, "config", {"channel": fake.channel_a2, "answers": "private"})).text()
    assert "updated" in changed and "**Answers by default:** private" in changed
    asked = await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"}, channel=fake.channel_a2)
    assert (await asked.wait_for_answer()).ephemeral
    asked = await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"}, channel=fake.channel_a1)
    assert not (await asked.wait_for_answer()).ephemeral


async def test_a_disabled_channel_is_ignored(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await run(fake, "config", {"enabled": False})
    refused = await (await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"})).wait_for_answer()
    assert refused.ephemeral and say("disabled") in refused.text()
    await fake.send_message("Who is Ricardo Vaz?", channel=fake.channel_a1, mentions_bot=True)
    await fake.wait_until_idle(live_bot)
    assert not [m for m in fake.channel_messages(fake.channel_a1) if m.author_id == fake.bot_user.id]
    assert "Bot:** off" in (await run(fake, "config")).text()  # moderators can still turn it back on
    await live_bot.services.database.writer.flush()
    assert await live_bot.services.database.questions.count() == 0


async def test_an_opted_out_channel_stores_counts_only(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    assert "only counts are kept" in (await run(fake, "config", {"logging": False})).text()
    await (await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"})).wait_for_answer()
    await fake.send_message("Who is Steve Ellner?", channel=fake.channel_a1, mentions_bot=True)
    await fake.wait_for(lambda: len(fake.channel_messages(fake.channel_a1)) >= 3)
    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(guild_id=fake.guild_a.id))
    assert len(rows) == 2 and all(row.question is None and row.user_id is None for row in rows)
    assert all(row.channel_id == fake.channel_a1.id and row.sources for row in rows)
    logs = (await run(fake, "logs show")).text()
    assert "question not logged" in logs and "user not logged" in logs and "Ricardo" not in logs
    assert "**2** questions" in (await run(fake, "stats")).text()


async def test_a_service_error_reaches_the_moderator_as_its_message(
    live_bot: CorpusBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(*args: object, **kwargs: object) -> None:
        raise StorageUnavailable("the question log is unavailable")

    monkeypatch.setattr(live_bot.services.moderation, "stats", unavailable)
    answer = await run(fake_discord, "stats")
    assert answer.ephemeral and "the question log is unavailable" in answer.text()
