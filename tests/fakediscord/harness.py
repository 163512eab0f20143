"""Starting the fake and pointing the real discord.py client at it, then tearing both down cleanly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import discord
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakediscord.server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def patched_discord(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and gateway URL at the fake; restore them afterwards."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.base_url
    DiscordWebSocket.DEFAULT_GATEWAY = fake.gateway_url
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running_fake_discord(**options: Any) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord (options go to its constructor) with discord.py patched to use it."""
    fake = FakeDiscord(**options)
    await fake.start()
    try:
        with patched_discord(fake):
            yield fake
    finally:
        await fake.close()


async def _until_ready(client: discord.Client, fake: FakeDiscord, task: asyncio.Task[None], timeout: float) -> None:
    """Wait for on_ready, but surface the client's own error at once if ``start`` fails first."""

    async def ready() -> None:
        # IDENTIFY only happens after login, which is what creates the client's ready event.
        await fake.wait_until_ready(timeout)
        await client.wait_until_ready()

    waiter = asyncio.create_task(ready())
    done, _ = await asyncio.wait({task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if waiter in done:
        waiter.result()
        return
    waiter.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiter
    if task.done():
        task.result()
        raise RuntimeError("discord client stopped before it became ready")
    raise TimeoutError(f"discord client not ready within {timeout}s")


@contextlib.asynccontextmanager
async def connected(
    client: ClientT,
    fake: FakeDiscord,
    token: str | None = None,
    *,
    timeout: float = 5.0,
    guild_ready_timeout: float = 0.05,
) -> AsyncIterator[ClientT]:
    """Run ``client.start`` in a task until ``on_ready`` (both guilds available), then close it.

    discord.py waits ``guild_ready_timeout`` (2 s by default) after the last GUILD_CREATE before
    on_ready; the fake sends every guild at once, so a short wait keeps tests fast.
    """
    client._connection.guild_ready_timeout = guild_ready_timeout
    task = asyncio.create_task(client.start(token or fake.token), name="fake-discord-client")
    try:
        await _until_ready(client, fake, task, timeout)
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, timeout)
