"""End to end: /privacy for anyone, /forget-me with its confirmation, and the retention purge at start-up."""

from __future__ import annotations

from pathlib import Path

from bot.discord.app import CorpusBot
from bot.records import LogFilter
from bot.services.container import Services
from bot.store import Database
from tests.bot.conftest import bot_settings
from tests.bot.discord.test_e2e_moderation import entry, seed
from tests.conftest import eventually
from tests.fakediscord import FakeDiscord, StoredMessage, connected


def button(message: StoredMessage, label: str) -> str:
    return next(c["custom_id"] for row in message.components for c in row["components"] if c.get("label") == label)


def all_disabled(message: StoredMessage) -> bool:
    return all(c.get("disabled") for row in message.components for c in row["components"])


async def seed_both_users(bot: CorpusBot, fake: FakeDiscord) -> None:
    """The member asked in both guilds and in a DM and voted; the moderator asked once."""
    member, mod = fake.member_user, fake.mod_user
    await seed(
        bot,
        entry(fake.channel_a1, member, "member in A"),
        entry(fake.channel_b1, member, "member in B"),
        entry(fake.dm_channel(member), member, "member in a DM"),
        entry(fake.channel_a1, mod, "moderator in A"),
    )
    assert bot.services.database is not None
    moderator_answer = (await bot.services.database.questions.fetch(LogFilter(user_id=mod.id)))[0].answer_id
    await bot.services.database.votes.cast(moderator_answer, member.id, up=True)


async def questions_of(bot: CorpusBot) -> list[str | None]:
    assert bot.services.database is not None
    return sorted(row.question or "" for row in await bot.services.database.questions.fetch())


async def test_privacy_tells_anyone_what_is_stored(fake_discord: FakeDiscord) -> None:
    async with connected(CorpusBot(bot_settings(log_retention_days=30)), fake_discord):
        for channel in (fake_discord.channel_b2, fake_discord.dm_channel(fake_discord.member_user)):
            sent = await fake_discord.send_command("privacy", channel=channel, user=fake_discord.member_user)
            answer = await sent.wait_for_answer()
            text = answer.text()
            assert answer.ephemeral and "**30 days**" in text and "/forget-me" in text
            assert "your user id" in text and "your question text" in text
            assert "Moderators of a server" in text and "only the counts" in text
    fake_discord.assert_clean()


async def test_without_a_query_log_every_command_says_so(fake_discord: FakeDiscord) -> None:
    settings = bot_settings()
    bot = CorpusBot(settings, await Services.start(settings, with_database=False))
    async with connected(bot, fake_discord):
        replies = [
            (await (await fake_discord.send_command(name, user=fake_discord.mod_user)).wait_for_answer()).text()
            for name in ("logs show", "forget-me", "privacy")
        ]
    assert "query log is unavailable" in replies[0]
    assert "can't delete anything" in replies[1]
    assert "nothing is being stored" in replies[2]
    fake_discord.assert_clean()


async def test_forget_me_removes_only_the_callers_rows(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await seed_both_users(live_bot, fake)
    prompt = await (await fake.send_command("forget-me", user=fake.member_user)).wait_for_answer()
    assert prompt.ephemeral and "3 questions" in prompt.text()

    refused = await (await fake.click(prompt, button(prompt, "Delete my data"), user=fake.mod_user)).wait_for_answer()
    assert "belong to the person who ran the command" in refused.content
    assert len(await questions_of(live_bot)) == 4

    await (await fake.click(prompt, button(prompt, "Delete my data"), user=fake.member_user)).wait_for_response()
    assert "Deleted 3 questions" in prompt.text() and all_disabled(prompt)
    assert await questions_of(live_bot) == ["moderator in A"]
    moderator_answer = (await live_bot.services.database.questions.fetch())[0].answer_id
    assert await live_bot.services.database.votes.counts(moderator_answer) == (0, 0)  # the member's vote went too


async def test_forget_me_cancel_keeps_everything(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await seed_both_users(live_bot, fake)
    prompt = await (await fake.send_command("forget-me", user=fake.member_user)).wait_for_answer()
    await (await fake.click(prompt, button(prompt, "Cancel"), user=fake.member_user)).wait_for_response()
    assert "Nothing was deleted" in prompt.text() and all_disabled(prompt)
    assert len(await questions_of(live_bot)) == 4


async def test_forget_me_times_out_harmlessly(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await seed_both_users(live_bot, fake)
    live_bot.get_cog("PrivacyCog").confirm_timeout = 0.2
    prompt = await (await fake.send_command("forget-me", user=fake.member_user)).wait_for_answer()
    await fake.wait_for(lambda: all_disabled(prompt), timeout=3)
    assert "Timed out" in prompt.text() and "Nothing was deleted" in prompt.text()
    assert len(await questions_of(live_bot)) == 4


async def test_old_rows_are_purged_once_the_bot_is_ready(fake_discord: FakeDiscord, isolated_settings: Path) -> None:
    fake = fake_discord
    async with await Database.open(isolated_settings) as log:
        log.writer.record(entry(fake.channel_a1, fake.member_user, "too old", days_ago=31))
        log.writer.record(entry(fake.channel_b1, fake.mod_user, "recent enough", days_ago=29))
    bot = CorpusBot(bot_settings(log_retention_days=30))
    async with connected(bot, fake):
        database = bot.services.database
        assert database is not None

        async def purged() -> bool:  # the purge runs as a background task right after start-up
            return await database.questions.count() == 1

        await eventually(purged)
        assert await questions_of(bot) == ["recent enough"]
    fake.assert_clean()
