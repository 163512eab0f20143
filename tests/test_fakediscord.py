"""The fake Discord, proven with the real discord.py client and a throwaway bot defined per test."""

from __future__ import annotations

import asyncio
import io

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakediscord import FakeDiscord, StoredMessage, connected


def new_bot(intents: discord.Intents | None = None) -> tuple[discord.Client, app_commands.CommandTree]:
    """A bare client, by default with the product bot's intents (no message_content, no members)."""
    client = discord.Client(intents=intents or discord.Intents.default())
    return client, app_commands.CommandTree(client)


async def test_login_and_ready_with_two_guilds_roles_and_owner(fake_discord: FakeDiscord) -> None:
    # With the members intent discord.py caches every member and would chunk an incomplete guild.
    intents = discord.Intents.default()
    intents.members = True
    client, _ = new_bot(intents)
    async with connected(client, fake_discord):
        assert client.user is not None and client.user.id == fake_discord.bot_user.id
        assert client.application is not None
        assert client.application.owner.id == fake_discord.owner_user.id
        assert sorted(g.id for g in client.guilds) == sorted([fake_discord.guild_a.id, fake_discord.guild_b.id])
        guild = client.get_guild(fake_discord.guild_b.id)
        assert guild is not None and guild.chunked
        channel = guild.get_channel(fake_discord.channel_b2.id)
        assert isinstance(channel, discord.TextChannel)
        mod = guild.get_member(fake_discord.mod_user.id)
        member = guild.get_member(fake_discord.member_user.id)
        assert mod is not None and member is not None
        assert channel.permissions_for(mod).manage_messages
        assert not channel.permissions_for(member).manage_messages
    assert [r.operation_id for r in fake_discord.requests] == ["get_my_user", "get_my_oauth2_application"]
    assert fake_discord.gateway.identified[0]["intents"] == intents.value
    assert fake_discord.gateway.sessions == [], "closing the client ends its gateway session"


async def test_command_sync_is_recorded_and_listed(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()

    @tree.command(description="Ask the corpus")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.send_message(question)

    @tree.command(description="Guild only", guild=discord.Object(fake_discord.guild_a.id))
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    async with connected(client, fake_discord):
        synced = await tree.sync()
        await tree.sync(guild=discord.Object(fake_discord.guild_a.id))
        fetched = await tree.fetch_commands()
    assert [c["name"] for c in fake_discord.commands()] == ["ask"]
    assert [c["name"] for c in fake_discord.commands(fake_discord.guild_a)] == ["admin"]
    assert fake_discord.commands(fake_discord.guild_b) == []
    assert [c.id for c in fetched] == [c.id for c in synced] == [int(fake_discord.commands()[0]["id"])]
    assert fake_discord.commands()[0]["options"][0]["name"] == "question"
    fake_discord.assert_clean()


async def test_slash_command_answered_with_embed_sees_member_permissions(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()

    @tree.command(description="Ask the corpus")
    async def ask(interaction: discord.Interaction, question: str, limit: int) -> None:
        role = "mod" if interaction.permissions.manage_messages else "member"
        embed = discord.Embed(title=question, description=f"{role} asked for {limit}")
        await interaction.response.send_message(embed=embed, ephemeral=role == "member")

    async with connected(client, fake_discord):
        await tree.sync()
        as_mod = await fake_discord.send_command(
            "ask", {"question": "Why?", "limit": 3}, channel=fake_discord.channel_b1, user=fake_discord.mod_user
        )
        as_member = await fake_discord.send_command("ask", {"question": "How?", "limit": 1})
        await as_mod.wait_for_response()
        await as_member.wait_for_response()
    assert as_mod.callback_type == 4 and not as_mod.ephemeral
    assert as_mod.original is not None and as_mod.original.embeds[0]["title"] == "Why?"
    assert as_mod.original.embeds[0]["description"] == "mod asked for 3"
    assert as_member.ephemeral and as_member.original is not None
    assert fake_discord.channel_messages(fake_discord.channel_b1) == [as_mod.original]
    assert fake_discord.channel_messages(fake_discord.channel_a1) == []
    callback = next(r for r in fake_discord.requests if r.operation_id == "create_interaction_response")
    assert callback.body["data"]["embeds"][0]["title"] == "Why?" and callback.status == 200
    fake_discord.assert_clean()


async def test_defer_then_followups(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()

    @tree.command(description="Slow answer")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("first", wait=True)
        await interaction.followup.send("second", ephemeral=True)

    async with connected(client, fake_discord):
        interaction = await fake_discord.send_command("slow")
        await interaction.wait_for_followup(count=2)
    assert interaction.callback_type == 5 and interaction.deferred
    assert [m.content for m in interaction.messages] == ["first", "second"]
    assert interaction.original is interaction.followups[0], "first follow-up settles the placeholder"
    assert interaction.original.ephemeral and not interaction.original.loading
    fake_discord.assert_clean()


async def test_oversize_embed_is_refused_with_50035(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()
    refused: list[discord.HTTPException] = []

    @tree.command(description="Too long")
    async def big(interaction: discord.Interaction) -> None:
        embeds = [discord.Embed(description="x" * 4000), discord.Embed(description="y" * 2001)]
        try:
            await interaction.response.send_message(embeds=embeds)
        except discord.HTTPException as error:
            refused.append(error)

    async with connected(client, fake_discord):
        interaction = await fake_discord.send_command("big")
        await fake_discord.wait_for(lambda: bool(refused))
    assert refused[0].status == 400 and refused[0].code == 50035
    assert not interaction.responded
    assert [r.operation_id for r in fake_discord.violations] == ["create_interaction_response"]
    with pytest.raises(AssertionError, match="50035"):
        fake_discord.assert_clean()


async def test_late_and_second_callbacks_are_refused(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()
    refused: list[discord.HTTPException] = []

    @tree.command(description="Sleeps past the deadline")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as error:
            refused.append(error)

    @tree.command(description="Answers at once")
    async def quick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("quick")

    async with connected(client, fake_discord):
        quick_one = await fake_discord.send_command("quick")
        await quick_one.wait_for_response()
        fake_discord.interaction_deadline = 0.05
        late_one = await fake_discord.send_command("late")
        await fake_discord.wait_for(lambda: bool(refused))
        url = f"{fake_discord.base_url}/interactions/{quick_one.id}/{quick_one.token}/callback"
        async with aiohttp.ClientSession() as session, session.post(url, json={"type": 4, "data": {}}) as again:
            second = (again.status, await again.json())
    assert refused[0].code == 10062 and not late_one.responded
    assert quick_one.original is not None and quick_one.original.content == "quick"
    assert second == (400, {"code": 40060, "message": "Interaction has already been acknowledged."})


async def test_one_429_is_retried_and_the_send_succeeds(fake_discord: FakeDiscord) -> None:
    client, _ = new_bot()
    fake_discord.rate_limit_next("create_message", retry_after=0.05)
    async with connected(client, fake_discord):
        channel = client.get_channel(fake_discord.channel_a2.id)
        assert isinstance(channel, discord.TextChannel)
        async with channel.typing():
            sent = await channel.send("after the limit")
    attempts = [r.status for r in fake_discord.requests if r.operation_id == "create_message"]
    assert attempts == [429, 200]
    assert [m.id for m in fake_discord.channel_messages(fake_discord.channel_a2)] == [sent.id]
    assert any(r.operation_id == "trigger_typing_indicator" and r.status == 204 for r in fake_discord.requests)
    fake_discord.assert_clean()


async def test_message_content_only_when_the_bot_is_mentioned(fake_discord: FakeDiscord) -> None:
    client, _ = new_bot()
    seen: asyncio.Queue[discord.Message] = asyncio.Queue()

    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.author != client.user:
            await seen.put(message)

    async with connected(client, fake_discord):
        await fake_discord.send_message("just chatting")
        quiet = await asyncio.wait_for(seen.get(), 2)
        await fake_discord.send_message("what is new?", mentions_bot=True, author=fake_discord.mod_user)
        loud = await asyncio.wait_for(seen.get(), 2)
        bot_reply = await loud.reply("an answer")
        stored_reply = fake_discord.messages[bot_reply.id]
        await fake_discord.send_message("thanks", reply_to=stored_reply)
        thanks = await asyncio.wait_for(seen.get(), 2)
    assert quiet.content == "" and quiet.author.id == fake_discord.member_user.id
    assert loud.content == f"{fake_discord.bot_user.mention} what is new?"
    assert client.user is not None and client.user.mentioned_in(loud)
    assert stored_reply.payload["message_reference"]["message_id"] == str(loud.id)
    assert thanks.content == "thanks" and thanks.reference is not None
    assert thanks.reference.message_id == bot_reply.id
    fake_discord.assert_clean()


class Confirm(discord.ui.View):
    """A one-button view recording who clicked it."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.clicked_by: list[int] = []

    @discord.ui.button(label="Confirm", custom_id="confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[Confirm]) -> None:
        self.clicked_by.append(interaction.user.id)
        await interaction.response.edit_message(content="confirmed", view=None)


async def test_button_click_reaches_the_view_callback(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()
    view = Confirm()

    @tree.command(description="Offers a button")
    async def offer(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("please confirm", view=view)

    async with connected(client, fake_discord):
        command = await fake_discord.send_command("offer")
        await command.wait_for_answer()
        with pytest.raises(LookupError, match="confirm"):
            await fake_discord.click(command, "nope")
        click = await fake_discord.click(command, "confirm", user=fake_discord.mod_user)
        await click.wait_for_response()
    assert view.clicked_by == [fake_discord.mod_user.id]
    assert click.callback_type == 7 and click.original is command.original
    assert command.original is not None and command.original.content == "confirmed"
    assert command.original.components == []
    fake_discord.assert_clean()


async def test_files_are_sent_multipart_and_kept(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()

    @tree.command(description="Sends a file")
    async def export(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("here", file=discord.File(io.BytesIO(b"q1\nq2\n"), "quotes.txt"))

    async with connected(client, fake_discord):
        interaction = await fake_discord.send_command("export")
        answer = await interaction.wait_for_answer()
        channel = client.get_channel(fake_discord.channel_b1.id)
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send(embed=discord.Embed(title="log"), file=discord.File(io.BytesIO(b"\x00\x01"), "a.bin"))
    assert [(f.filename, f.data) for f in answer.files] == [("quotes.txt", b"q1\nq2\n")]
    assert answer.payload["attachments"][0]["size"] == 6
    stored: StoredMessage = fake_discord.messages[sent.id]
    assert stored.files[0].data == b"\x00\x01" and stored.embeds[0]["title"] == "log"
    multipart = [r for r in fake_discord.requests if r.files]
    assert [r.operation_id for r in multipart] == ["create_interaction_response", "create_message"]
    fake_discord.assert_clean()


async def test_autocomplete_choices_are_recorded(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()

    @tree.command(description="Pick a source")
    async def source(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @source.autocomplete("name")
    async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"{current}-{n}", value=f"{current}{n}") for n in range(2)]

    async with connected(client, fake_discord):
        await tree.sync()
        with pytest.raises(ValueError, match="not registered"):
            await fake_discord.send_command("source", {"title": "x"})
        typed = await fake_discord.send_autocomplete("source", {"name": "bbc"}, focused="name")
        await typed.wait_for_response()
    assert typed.callback_type == 8
    assert typed.choices == [{"name": "bbc-0", "value": "bbc0"}, {"name": "bbc-1", "value": "bbc1"}]
    fake_discord.assert_clean()
