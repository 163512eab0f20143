"""pytest plugin: ``pytest_plugins = ["tests.fakediscord.plugin"]`` provides the ``fake_discord`` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakediscord.harness import running_fake_discord
from tests.fakediscord.server import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord with discord.py's base URL and gateway patched to it (per test)."""
    async with running_fake_discord() as fake:
        yield fake
