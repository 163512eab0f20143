"""B3: channel settings are all in memory from the start (a burst after a restart sees them), and when
they cannot be read every guild channel is off and private — never the defaults — until they can."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.discord.app import CorpusBot
from bot.i18n import say
from bot.records import ChannelConfig
from bot.store import Database
from tests.bot.conftest import bot_settings
from tests.fakediscord import FakeChannel, FakeDiscord, InteractionRecord, connected, patched_discord
from tests.load_discord import TOKEN, BotProcess, add_channels, settle, skip_validation


async def test_a_burst_right_after_a_restart_obeys_every_channel(tmp_path: Path) -> None:
    """300 at once over 30 channels nobody has asked in since the start: each one's settings apply."""
    database = tmp_path / "data" / "corpusbot.sqlite3"
    fake = FakeDiscord(token=TOKEN)
    skip_validation(fake)  # as in the load harness
    channels = add_channels(fake, 30)
    off, private, public = channels[0::3], channels[1::3], channels[2::3]
    stored = await Database.open(database)
    for channel in off:
        await stored.channels.set(ChannelConfig(channel.guild_id, channel.id, enabled=False))
    for channel in private:
        await stored.channels.set(ChannelConfig(channel.guild_id, channel.id, private_by_default=True))
    await stored.close()
    await fake.start()
    try:
        with patched_discord(fake):
            bot = BotProcess(
                fake, tmp_path, {"CORPUSBOT_DATABASE_PATH": str(database), "CORPUSBOT_COOLDOWN_SECONDS": "0"}
            )
            await bot.start()
            sent = await asyncio.gather(
                *(
                    fake.send_command("ask", {"question": f"Who is Steve Ellner? {n}"}, channel=channel)
                    for n in range(10)
                    for channel in channels
                )
            )
            await settle(fake, sent, timeout=120)
            await bot.stop()
    finally:
        await fake.close()

    def sent_to(group: list[FakeChannel]) -> list[InteractionRecord]:
        ids = {channel.id for channel in group}
        return [r for r in sent if int(r.payload["channel_id"]) in ids]

    assert all(r.callback_type is not None for r in sent)  # nobody left without a response
    assert all(r.callback_type == 4 and "turned corpusbot off" in r.messages[0].text() for r in sent_to(off))
    assert all(r.deferred and r.ephemeral for r in sent_to(private))
    assert all(r.deferred and not r.ephemeral for r in sent_to(public))


async def test_unreadable_settings_fail_closed_tell_moderators_and_recover(
    fake_discord: FakeDiscord, isolated_settings: Path
) -> None:
    fake = fake_discord
    isolated_settings.parent.write_text("a file where the data folder should be")  # the database cannot open
    async with connected(CorpusBot(bot_settings()), fake) as bot:
        refused = await (await fake.send_command("ask", {"question": "Who is Steve Ellner?"})).wait_for_answer()
        assert refused.ephemeral and say("settings_unknown") in refused.text()
        told = await (await fake.send_command("config", {}, user=fake.mod_user)).wait_for_answer()
        assert "Storage problem" in told.text() and "cannot be opened" in told.text()
        dm = await (
            await fake.send_command(
                "ask", {"question": "Who is Steve Ellner?"}, channel=fake.dm_channel(fake.member_user)
            )
        ).wait_for_answer()
        assert "Ellner" in dm.text()  # outside guilds there are no moderators' settings to guess

        isolated_settings.parent.unlink()
        await fake.wait_for(lambda: bot.services.moderation.available, timeout=15)  # retried in the background
        answer = await (await fake.send_command("ask", {"question": "Who is Steve Ellner?"})).wait_for_answer()
        assert "Latin American Perspectives" in answer.text().replace("**", "")
        assert bot.services.database is not None
        await bot.services.database.writer.flush()
        # The DM question asked while the database could not open waited in the writer and was kept too.
        assert await bot.services.database.questions.count() == 2
