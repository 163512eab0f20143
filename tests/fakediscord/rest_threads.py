"""REST handlers for threads: a thread on a message, a thread without one, and forum posts.

Discord's rules enforced here: threads only in text (or forum) channels, never in a thread or a DM;
one thread per message (its id is the message's); a forum post needs its starter message, which
shares the post's id. Every new thread is announced with THREAD_CREATE (``newly_created``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakediscord.messages import attachments_for, build_message, is_empty
from tests.fakediscord.records import RecordedRequest, StoredMessage
from tests.fakediscord.rest import empty_message, unknown_message
from tests.fakediscord.routing import DiscordError, Handler, invalid_form, registrar
from tests.fakediscord.threads import FORUM_CHANNEL, PUBLIC_THREAD
from tests.fakediscord.world import CREATE_PUBLIC_THREADS, TEXT_CHANNEL, FakeChannel, FakeUser

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)
HAS_THREAD = 1 << 5  # message flag: a thread was started from this message


def wrong_channel_type() -> DiscordError:
    return DiscordError(400, 50024, "Cannot execute action on this channel type")


def _parent(fake: FakeDiscord, req: RecordedRequest) -> FakeChannel:
    channel = fake.world.channel(int(req.params["channel_id"]))
    if channel is None:
        raise DiscordError(404, 10003, "Unknown Channel")
    return channel


def new_thread(parent: FakeChannel, name: str, owner: FakeUser, thread_id: int) -> FakeChannel:
    """A public thread under ``parent``; ``thread_id`` is its starter message's id when it has one."""
    assert parent.guild_id is not None, "threads only exist in guilds"
    return FakeChannel(thread_id, name, parent.guild_id, PUBLIC_THREAD, parent_id=parent.id, owner_id=owner.id)


async def announce(fake: FakeDiscord, thread: FakeChannel) -> FakeChannel:
    """Make the thread part of its guild and tell a connected bot (THREAD_CREATE, newly created)."""
    guild = fake.world.guild(thread.guild_id)
    assert guild is not None
    guild.threads.append(thread)
    if fake.gateway.ready:
        await fake.gateway.dispatch("THREAD_CREATE", thread.payload() | {"newly_created": True})
    return thread


async def open_thread(
    fake: FakeDiscord, parent: FakeChannel, name: str, owner: FakeUser, thread_id: int
) -> FakeChannel:
    return await announce(fake, new_thread(parent, name, owner, thread_id))


def mark_started(message: StoredMessage, thread: FakeChannel) -> None:
    """The message a thread was started from names it, as Discord's message object does."""
    message.payload["thread"] = thread.payload()
    message.payload["flags"] = (message.payload.get("flags") or 0) | HAS_THREAD


def check_permission(fake: FakeDiscord, parent: FakeChannel) -> None:
    """The bot needs Create Public Threads in the guild (channel overwrites are not modelled)."""
    guild = fake.world.guild(parent.guild_id)
    if guild is not None and not guild.permissions_for(fake.world.bot_user) & CREATE_PUBLIC_THREADS:
        raise DiscordError(403, 50013, "Missing Permissions")


def check_name(body: dict[str, Any]) -> str:
    name = str(body.get("name") or "").strip()
    if not name:
        raise invalid_form(["name"], "This field is required")
    return name


@handles("create_thread_from_message")
async def create_thread_from_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    parent = _parent(fake, req)
    if parent.type != TEXT_CHANNEL or parent.guild_id is None:
        raise wrong_channel_type()
    message = fake.messages.get(int(req.params["message_id"]))
    if message is None or message.deleted or message.channel_id != parent.id:
        raise unknown_message()
    if "thread" in message.payload:
        raise DiscordError(400, 160004, "A thread has already been created for this message")
    check_permission(fake, parent)
    thread = await open_thread(fake, parent, check_name(req.body or {}), fake.world.bot_user, message.id)
    mark_started(message, thread)
    return 201, thread.payload()


@handles("create_thread")
async def create_thread(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    """A thread without a starter message in a text channel, or a post (with its message) in a forum."""
    parent = _parent(fake, req)
    body = req.body or {}
    name = check_name(body)
    if parent.type == TEXT_CHANNEL and parent.guild_id is not None:
        check_permission(fake, parent)
        thread = await open_thread(fake, parent, name, fake.world.bot_user, fake.snowflake())
        return 201, thread.payload()
    if parent.type != FORUM_CHANNEL:
        raise wrong_channel_type()
    starter = body.get("message")
    if not isinstance(starter, dict) or is_empty(starter, req.files):
        raise empty_message()
    thread_id = fake.snowflake()
    thread = new_thread(parent, name, fake.world.bot_user, thread_id)
    message = build_message(
        message_id=thread_id,
        world=fake.world,
        channel=thread,
        author=fake.world.bot_user,
        body=starter,
        files=req.files,
        attachments=attachments_for(starter, req.files, thread_id, fake.snowflake),
    )
    fake.messages[message.id] = message  # the post exists with its message before anyone hears of it
    await announce(fake, thread)
    await fake.publish(message)
    return 201, thread.payload() | {"message": message.payload}
