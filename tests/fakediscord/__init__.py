"""A fake Discord (REST under /api/v10 + gateway websocket) for end-to-end tests of discord.py bots.

The real discord.py client connects to it; the fake records every request, validates bodies
against Discord's OpenAPI schema and enforces the rules that bite in production (embed total,
3-second acknowledgement, single acknowledgement, 429 handling, message-content intent).

Typical use::

    async def test_ask(fake_discord: FakeDiscord) -> None:
        async with connected(make_bot(), fake_discord):
            interaction = await fake_discord.send_command("ask", {"question": "..."})
            answer = await interaction.wait_for_answer()
            assert "..." in answer.text()
        fake_discord.assert_clean()
"""

from tests.fakediscord.harness import connected, patched_discord, running_fake_discord
from tests.fakediscord.records import InteractionRecord, RecordedRequest, StoredMessage, UploadedFile
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.world import FakeChannel, FakeGuild, FakeUser

__all__ = [
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeUser",
    "InteractionRecord",
    "RecordedRequest",
    "StoredMessage",
    "UploadedFile",
    "connected",
    "patched_discord",
    "running_fake_discord",
]
