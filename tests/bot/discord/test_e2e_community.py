"""End to end through the fake Discord: the message menu, threads, forums, 🗑, votes on refusals."""

from __future__ import annotations

from dataclasses import replace

from bot.discord.app import CorpusBot
from bot.records import LogFilter
from tests.bot.conftest import bot_settings, sent_mentions_are_none
from tests.bot.discord.test_e2e_moderation import run
from tests.fakediscord import FakeChannel, FakeDiscord, StoredMessage, connected
from tests.fakediscord.world import CREATE_PUBLIC_THREADS

VAZ = "Caracas-based journalist Ricardo Vaz"


def by_bot(fake: FakeDiscord, channel: FakeChannel) -> list[StoredMessage]:
    return [m for m in fake.channel_messages(channel) if m.author_id == fake.bot_user.id]


def custom_id(message: StoredMessage, prefix: str) -> str:
    return next(i for i in message.custom_ids() if i.startswith(prefix))


async def test_message_menu_answers_privately_then_posts_to_the_channel(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    fake = fake_discord
    menu = next(c for c in fake.commands() if c["type"] == 3)
    assert menu["name"] == "Ask corpusbot" and menu["name_localizations"]["es-ES"] == "Preguntar a corpusbot"
    target = await fake.send_message("Who is Ricardo Vaz?", author=fake.mod_user)  # no mention: gateway hides it
    asked = await fake.send_message_command("Ask corpusbot", target)
    private = await asked.wait_for_answer()
    assert private.ephemeral and VAZ in private.text().replace("**", "")
    assert not any(i.startswith("del:") for i in private.custom_ids())  # nothing public to delete yet
    posted = await (await fake.click(private, custom_id(private, "post:"))).wait_for_answer()
    assert not posted.ephemeral and posted in fake.channel_messages(fake.channel_a1)
    assert VAZ in posted.text().replace("**", "")
    assert f"del:{fake.member_user.id}" in posted.custom_ids()  # the sharer may delete it
    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(interface="menu"))
    assert [r.question for r in rows] == ["Who is Ricardo Vaz?"]
    empty = await fake.send_message_command("Ask corpusbot", await fake.send_message("", author=fake.mod_user))
    assert "no text" in (await empty.wait_for_answer()).text()
    sent_mentions_are_none(fake)


async def test_delete_button_for_the_asker_and_moderators_only(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    asked = await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"}, user=fake.mod_user)
    answer = await asked.wait_for_answer()
    delete = custom_id(answer, "del:")
    refused = await (await fake.click(answer, delete, user=fake.member_user)).wait_for_answer()
    assert refused.ephemeral and "Only the person who asked" in refused.text()
    assert not fake.messages[answer.id].deleted
    done = await (await fake.click(answer, delete, user=fake.mod_user)).wait_for_answer()
    assert done.ephemeral and "deleted" in done.text()
    await fake.wait_for(lambda: fake.messages[answer.id].deleted)
    deletes = [r for r in fake.requests if r.operation_id == "delete_message"]
    assert [r.params["message_id"] for r in deletes] == [str(answer.id)]
    # A moderator may delete someone else's mention answer.
    await fake.send_message("Who is Ricardo Vaz?", mentions_bot=True, channel=fake.channel_a2)
    await fake.wait_for(lambda: bool(by_bot(fake, fake.channel_a2)))
    reply = by_bot(fake, fake.channel_a2)[0]
    await (await fake.click(reply, custom_id(reply, "del:"), user=fake.mod_user)).wait_for_answer()
    await fake.wait_for(lambda: fake.messages[reply.id].deleted)
    private = await fake.send_command("ask", {"question": "Who is Ricardo Vaz?", "private": True})
    assert not any(i.startswith("del:") for i in (await private.wait_for_answer()).custom_ids())


async def test_refusals_take_votes_counted_as_coverage_gaps(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    refusal = await (await fake.send_command("ask", {"question": "Who wrote Hamlet?"})).wait_for_answer()
    down = custom_id(refusal, "vote:down:")
    assert down.endswith(":r") and custom_id(refusal, "vote:up:").endswith(":r")
    thanks = await (await fake.click(refusal, down, user=fake.member_user)).wait_for_answer()
    assert "should have been answered" in thanks.text()
    stats = (await run(fake, "stats")).text()
    assert "👎 1 should have been answered" in stats
    assert "**1×** who wrote hamlet" in stats.split("marked 👎")[1]


async def test_thread_mode_for_mentions_and_slash_answers(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    changed = (await run(fake, "config", {"channel": fake.channel_a2, "threads": True})).text()
    assert "**Threads:** on" in changed
    question = await fake.send_message("Who is Ricardo Vaz?", mentions_bot=True, channel=fake.channel_a2)
    await fake.wait_for(lambda: fake.world.channel(question.id) is not None)
    thread = fake.world.channel(question.id)  # a thread on the question shares its id
    assert thread is not None and thread.parent_id == fake.channel_a2.id and thread.name == "Who is Ricardo Vaz?"
    await fake.wait_for(lambda: bool(by_bot(fake, thread)))
    assert VAZ in by_bot(fake, thread)[0].text().replace("**", "")
    assert by_bot(fake, fake.channel_a2) == []  # nothing in the channel itself
    follow = await fake.send_message("Where does he work?", mentions_bot=True, channel=thread)
    await fake.wait_for(lambda: len(by_bot(fake, thread)) == 2)
    assert by_bot(fake, thread)[1].payload["message_reference"]["message_id"] == str(follow.id)
    # /ask: the public answer, then a thread on it; a private answer opens none.
    asked = await fake.send_command("ask", {"question": "Who is Steve Ellner?"}, channel=fake.channel_a2)
    answer = await asked.wait_for_answer()
    await fake.wait_for(lambda: fake.world.channel(answer.id) is not None)
    assert fake.messages[answer.id].payload["thread"]["name"] == "Who is Steve Ellner?"
    await (
        await fake.send_command("ask", {"question": "Who?", "private": True}, channel=fake.channel_a2)
    ).wait_for_answer()
    await fake.wait_until_idle(live_bot)
    made = [r for r in fake.requests if r.operation_id == "create_thread_from_message"]
    assert len(made) == 2
    fake.assert_clean()


async def test_mentions_in_threads_the_bot_did_not_create(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await run(fake, "config", {"logging": False})  # in channel A1: its threads follow it
    thread = await fake.start_thread("Talk", channel=fake.channel_a1)
    asked = await fake.send_message("Who is Ricardo Vaz?", mentions_bot=True, channel=thread)
    await fake.wait_for(lambda: bool(by_bot(fake, thread)))
    reply = by_bot(fake, thread)[0]
    assert reply.payload["message_reference"]["message_id"] == str(asked.id)
    await fake.wait_until_idle(live_bot)
    assert not [r for r in fake.requests if "threads" in r.path]  # threads are off here: no new thread
    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(interface="mention"))
    # Logged under the parent channel, whose logging switch is off: no text, no author.
    assert [(r.channel_id, r.question, r.user_id) for r in rows] == [(fake.channel_a1.id, None, None)]


async def test_forum_posts_are_answered_once_inside_the_post(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    forum = await fake.create_forum(fake.guild_a, "questions")
    quiet = await fake.create_forum(fake.guild_a, "chat")
    await fake.wait_for(lambda: live_bot.get_channel(quiet.id) is not None)
    assert "**Forum posts answered:** on" in (await run(fake, "config", {"channel": forum, "forum": True})).text()
    post, _ = await fake.post_in_forum(forum, "Who is Ricardo Vaz?", "I keep seeing his name.")
    await fake.wait_for(lambda: bool(by_bot(fake, post)))
    assert VAZ in by_bot(fake, post)[0].text().replace("**", "")
    ignored, _ = await fake.post_in_forum(quiet, "Who is Ricardo Vaz?")
    # In a forum not opted in, a post that mentions the bot is an ordinary mention: answered once, as a reply.
    mentioned, _ = await fake.post_in_forum(quiet, "Vaz?", f"{fake.bot_user.mention} Who is Ricardo Vaz?")
    await fake.wait_for(lambda: bool(by_bot(fake, mentioned)))
    # A post whose first message mentions the bot is still answered once.
    pinged, _ = await fake.post_in_forum(forum, "Steve Ellner", f"{fake.bot_user.mention} who is he?")
    await fake.wait_for(lambda: bool(by_bot(fake, pinged)))
    follow = await fake.send_message("Who is Steve Ellner?", mentions_bot=True, channel=post)
    await fake.wait_for(lambda: len(by_bot(fake, post)) == 2)
    assert by_bot(fake, post)[1].payload["message_reference"]["message_id"] == str(follow.id)
    await fake.wait_until_idle(live_bot)
    assert by_bot(fake, ignored) == [] and len(by_bot(fake, pinged)) == 1 and len(by_bot(fake, mentioned)) == 1
    await live_bot.services.database.writer.flush()
    rows = await live_bot.services.database.questions.fetch(LogFilter(interface="forum", oldest_first=True))
    mentions = await live_bot.services.database.questions.fetch(LogFilter(interface="mention"))
    # Newest first: the reply in the opted-in post, then the post that mentioned the bot in the other forum.
    assert [r.channel_id for r in mentions] == [forum.id, quiet.id]
    # Without the content intent the first message is hidden: the title is the question; a mention shows it.
    assert [r.question for r in rows] == ["Who is Ricardo Vaz?", "Steve Ellner — who is he?"]
    assert {r.channel_id for r in rows} == {forum.id}  # posts are logged under their forum
    fake.assert_clean()


async def test_without_thread_permission_the_answer_is_a_reply(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    everyone = fake.guild_b.roles[0]
    fake.guild_b.roles[0] = replace(everyone, permissions=everyone.permissions & ~CREATE_PUBLIC_THREADS)
    bot = CorpusBot(bot_settings())
    async with connected(bot, fake):
        await run(fake, "config", {"threads": True}, channel=fake.channel_b1)
        asked = await fake.send_message("Who is Ricardo Vaz?", mentions_bot=True, channel=fake.channel_b1)
        await fake.wait_for(lambda: bool(by_bot(fake, fake.channel_b1)))
        await fake.wait_until_idle(bot)
    reply = by_bot(fake, fake.channel_b1)[0]
    assert reply.payload["message_reference"]["message_id"] == str(asked.id) and VAZ in reply.text().replace("**", "")
    assert [(r.operation_id, r.error_code) for r in fake.errors] == [("create_thread_from_message", 50013)]
