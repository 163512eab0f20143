"""The real bot (the object `corpusbot run` starts) connected to the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.discord.app import CorpusBot
from bot.settings import Settings
from tests.fakediscord import FakeDiscord, connected


def bot_settings(**overrides: object) -> Settings:
    return Settings(**{"cooldown_seconds": 0, **overrides})


@pytest.fixture
async def live_bot(fake_discord: FakeDiscord) -> AsyncIterator[CorpusBot]:
    """A connected CorpusBot with no cooldown; the fake must have seen only valid requests."""
    bot = CorpusBot(bot_settings())
    async with connected(bot, fake_discord):
        yield bot
    fake_discord.assert_clean()


def sent_mentions_are_none(fake: FakeDiscord) -> None:
    """Every message body the bot sent said: ping nobody."""
    for request in fake.requests:
        body = request.body if isinstance(request.body, dict) else {}
        data = body.get("data", body) if isinstance(body.get("data"), dict) else body
        if "content" in data or "embeds" in data:
            assert data.get("allowed_mentions", {}).get("parse") == [], (request.method, request.path, data)
