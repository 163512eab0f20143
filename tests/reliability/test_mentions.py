"""B1 (process log): a mention is a question, never a text command, so its words never reach the process log."""

from __future__ import annotations

import logging

import pytest

from bot.discord.app import CorpusBot
from tests.bot.conftest import bot_settings
from tests.fakediscord import FakeDiscord, connected


async def test_mentions_leave_no_message_words_in_the_process_log(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="discord.ext.commands")
    caplog.set_level(logging.INFO, logger="discord.client")
    words = ("Zebrafinch", "Quokkaword", "Marmosetly")
    async with connected(CorpusBot(bot_settings()), fake_discord):
        for word in words:
            await fake_discord.send_message(f"{word} happened when?", mentions_bot=True)
        await fake_discord.wait_for(
            lambda: sum(m.author_id == fake_discord.bot_user.id for m in fake_discord.messages.values()) == len(words)
        )
    logged = caplog.text
    assert "CommandNotFound" not in logged
    assert not any(word in logged for word in words)
