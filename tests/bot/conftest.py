"""The real bot (the object `corpusbot run` starts) connected to the fake Discord, and complete log entries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.discord.app import CorpusBot
from bot.records import LogEntry, SourceRef, new_answer_id
from bot.settings import Settings
from tests.fakediscord import FakeDiscord, connected

GUILD_A, GUILD_B = 111_111_111_111_111_111, 222_222_222_222_222_222
BASE_TS = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

EntryFactory = Callable[..., LogEntry]


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


@pytest.fixture
def make_entry() -> EntryFactory:
    """Complete entries by default, so a test only spells out the fields it is about."""
    template = LogEntry(
        interface="slash",
        question="What happened at the summit?",
        answered=True,
        reason=None,
        sources=(SourceRef("003_a1360f9908bf2d3c", 15, 15),),
        score=0.8,
        latency_ms=42,
        corpus_version="v1",
        guild_id=GUILD_A,
        channel_id=10,
        user_id=7,
        ts=BASE_TS,
    )

    def make(**changes: Any) -> LogEntry:
        return replace(template, **{"answer_id": new_answer_id(), **changes})

    return make
