"""B1: in a channel whose moderators turned logging off, nothing stored leads back to the question or
to who asked or voted: no question words in any column, votes without user ids."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.discord.app import CorpusBot
from bot.records import ChannelConfig
from tests.bot.conftest import bot_settings
from tests.fakediscord import FakeDiscord, connected

UNANSWERABLE = "What did the Zorblax committee decide about quuxification?"
ANSWERABLE = "Who is Steve Ellner?"


def every_stored_value(database: Path) -> list[object]:
    with sqlite3.connect(database) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [value for table in tables for row in conn.execute(f"SELECT * FROM {table}") for value in row]


async def test_opted_out_channels_store_no_words_and_no_ids(fake_discord: FakeDiscord, isolated_settings: Path) -> None:
    fake, user = fake_discord, fake_discord.member_user
    channel = fake.channel_a1
    async with connected(CorpusBot(bot_settings()), fake) as bot:
        await bot.services.channels.set(ChannelConfig(channel.guild_id, channel.id, log_questions=False))
        abstained = await (await fake.send_command("ask", {"question": UNANSWERABLE}, user=user)).wait_for_answer()
        answered = await (await fake.send_command("ask", {"question": ANSWERABLE}, user=user)).wait_for_answer()
        vote = next(i for i in answered.custom_ids() if i.startswith("vote:up:"))
        await (await fake.click(answered, vote, user=user)).wait_for_answer()
        assert bot.services.database is not None
        await bot.services.database.writer.flush()
        counts = await bot.services.database.votes.counts(vote.split(":")[2])
    assert abstained.embeds and counts == (1, 0)  # the vote counts, anonymously
    stored = " ".join(str(value) for value in every_stored_value(isolated_settings))
    for word in ("Zorblax", "quuxification", "Ellner", str(user.id)):
        assert word not in stored, word
