"""The fake Discord's community features, proven with the real discord.py client: message commands,
threads on messages and without, forum channels and posts, user attachments, message reads."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.http import Route

from tests.fakediscord import FakeDiscord, connected
from tests.fakediscord.community import upload
from tests.test_fakediscord import new_bot


async def test_message_command_receives_the_resolved_message(fake_discord: FakeDiscord) -> None:
    client, tree = new_bot()
    seen: list[tuple[str, int]] = []

    @tree.context_menu(name="Echo")
    async def echo(interaction: discord.Interaction, message: discord.Message) -> None:
        seen.append((message.content, len(message.attachments)))
        await interaction.response.send_message(message.content or "empty", ephemeral=True)

    async with connected(client, fake_discord):
        await tree.sync()
        assert [c["type"] for c in fake_discord.commands()] == [3]
        target = await fake_discord.send_message("no mention here", files=[upload("notes.txt", b"hello", "text/plain")])
        record = await fake_discord.send_message_command("Echo", target)
        answer = await record.wait_for_answer()
        with pytest.raises(LookupError):
            await fake_discord.send_message_command("Missing", target)
    # Without the content intent the gateway hid the text, but the command's target carries it.
    assert seen == [("no mention here", 1)]
    assert answer.ephemeral and answer.content == "no mention here"
    assert target.payload["attachments"][0]["filename"] == "notes.txt"
    fake_discord.assert_clean()


async def test_threads_on_messages_and_without(fake_discord: FakeDiscord) -> None:
    client, _ = new_bot()
    created: list[discord.Thread] = []
    client.event(_collector(created))

    async with connected(client, fake_discord):
        channel = client.get_channel(fake_discord.channel_a1.id)
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("answer")
        thread = await sent.create_thread(name="Follow-up")
        assert thread.id == sent.id and thread.parent_id == channel.id
        await thread.send("inside")
        with pytest.raises(discord.HTTPException) as again:
            await sent.create_thread(name="Twice")
        bare = await channel.create_thread(name="No starter", type=discord.ChannelType.public_thread)
        user_thread = await fake_discord.start_thread("Members talk", channel=fake_discord.channel_a1)
        await fake_discord.wait_for(lambda: len(created) == 3)
        fetched = await channel.fetch_message(sent.id)
    assert again.value.code == 160004
    assert {t.id for t in created} == {thread.id, bare.id, user_thread.id}
    assert fake_discord.messages[sent.id].payload["thread"]["id"] == str(thread.id)
    assert [m.content for m in fake_discord.channel_messages(fake_discord.world.channel(thread.id))] == ["inside"]
    assert fetched.content == "answer"
    assert [r.error_code for r in fake_discord.errors] == [160004]


def _collector(into: list[discord.Thread]):
    async def on_thread_create(thread: discord.Thread) -> None:
        into.append(thread)

    return on_thread_create


async def test_forum_posts_arrive_as_new_threads_with_their_starter(fake_discord: FakeDiscord) -> None:
    client, _ = new_bot()
    created: list[discord.Thread] = []
    client.event(_collector(created))
    async with connected(client, fake_discord):
        forum = await fake_discord.create_forum(fake_discord.guild_a, "questions")
        await fake_discord.wait_for(lambda: client.get_channel(forum.id) is not None)
        assert isinstance(client.get_channel(forum.id), discord.ForumChannel)
        post, starter = await fake_discord.post_in_forum(forum, "Who is Ricardo Vaz?", "Any sources?")
        await fake_discord.wait_for(lambda: bool(created))
        thread = created[0]
        assert isinstance(thread.parent, discord.ForumChannel) and thread.name == "Who is Ricardo Vaz?"
        fetched = await thread.fetch_message(thread.id)
        assert fetched.content == ""  # no content intent, no mention: Discord hides it over REST too
        await thread.send("answer in the post")
        channel = client.get_channel(forum.id)
        assert isinstance(channel, discord.ForumChannel)
        made = await channel.create_thread(name="Bot post", content="starter text")
        with pytest.raises(discord.HTTPException):
            route = Route("POST", "/channels/{channel_id}/threads", channel_id=forum.id)
            await client.http.request(route, json={"name": "Empty", "message": {}})
        await asyncio.sleep(0)
    assert starter.id == post.id and made.thread.id == made.message.id
    assert [m.content for m in fake_discord.channel_messages(post)] == ["Any sources?", "answer in the post"]
    assert [r.error_code for r in fake_discord.errors] == [50006]
