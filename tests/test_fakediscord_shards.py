"""The fake Discord's sharding: one gateway connection per shard, each guild's events on its own shard."""

from __future__ import annotations

import contextlib

import discord
import pytest
from discord import app_commands

from tests.fakediscord import connected, running_fake_discord
from tests.fakediscord.gateway import shard_of


def shard_client(shard_id: int, shard_count: int) -> tuple[discord.AutoShardedClient, list[int]]:
    """A client running one shard, and the guild ids of the /where commands it received."""
    client = discord.AutoShardedClient(intents=discord.Intents.default(), shard_ids=[shard_id], shard_count=shard_count)
    tree = app_commands.CommandTree(client)
    seen: list[int] = []

    @tree.command(description="Which shard am I on")
    async def where(interaction: discord.Interaction) -> None:
        seen.append(interaction.guild_id or 0)
        await interaction.response.send_message(f"shard {interaction.guild.shard_id if interaction.guild else 0}")

    return client, seen


async def test_each_guild_goes_to_the_shard_discord_would_pick() -> None:
    async with running_fake_discord(shard_count=2) as fake:
        assert shard_of(fake.guild_a.id, 2) == 0 and shard_of(fake.guild_b.id, 2) == 1
        first, seen_first = shard_client(0, 2)
        second, seen_second = shard_client(1, 2)
        async with contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(connected(first, fake))
            await stack.enter_async_context(connected(second, fake))
            await fake.wait_until_ready(shards=2)
            assert [g.id for g in first.guilds] == [fake.guild_a.id]
            assert [g.id for g in second.guilds] == [fake.guild_b.id]
            answers = []
            for guild in (fake.guild_a, fake.guild_b, fake.guild_b):
                answers.append(await (await fake.send_command("where", guild=guild)).wait_for_answer())
            assert [answer.text() for answer in answers] == ["shard 0", "shard 1", "shard 1"]
            assert seen_first == [fake.guild_a.id]
            assert seen_second == [fake.guild_b.id, fake.guild_b.id]
        assert sorted(tuple(i["shard"]) for i in fake.gateway.identified) == [(0, 2), (1, 2)]
        fake.assert_clean()


async def test_an_event_for_a_shard_nobody_runs_is_refused() -> None:
    async with running_fake_discord(shard_count=2) as fake:
        client, _ = shard_client(0, 2)
        async with connected(client, fake):
            with pytest.raises(RuntimeError, match="shard"):
                await fake.send_command("where", guild=fake.guild_b)
