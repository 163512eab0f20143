"""What users do in communities, for tests: forum channels and posts, threads, message commands.

A mixin of `FakeDiscord` so the test API stays one object (``fake.post_in_forum(...)``); the
payloads follow Discord's: a forum post is a thread whose starter message shares its id, a message
command carries its target message resolved in full (content included, no privileged intent needed).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from tests.fakediscord.events import INTERACTION_COMMAND
from tests.fakediscord.messages import attachments_for, build_message
from tests.fakediscord.records import InteractionRecord, StoredMessage, UploadedFile
from tests.fakediscord.rest_threads import announce, mark_started, new_thread, open_thread
from tests.fakediscord.threads import FORUM_CHANNEL
from tests.fakediscord.world import ADMINISTRATOR, FakeChannel, FakeGuild, FakeUser

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

COMMAND_CHAT_INPUT, COMMAND_USER, COMMAND_MESSAGE = 1, 2, 3


class CommunityActions:
    """Forum channels, forum posts, user-started threads and message (context-menu) commands."""

    async def create_forum(self: FakeDiscord, guild: FakeGuild, name: str) -> FakeChannel:  # type: ignore[misc]
        """A new forum channel in ``guild``; a connected bot hears CHANNEL_CREATE."""
        forum = FakeChannel(self.snowflake(), name, guild.id, FORUM_CHANNEL, position=len(guild.channels))
        guild.channels.append(forum)
        if self.gateway.ready:
            await self.gateway.dispatch("CHANNEL_CREATE", forum.payload())
        return forum

    async def post_in_forum(  # type: ignore[misc]
        self: FakeDiscord,
        forum: FakeChannel,
        title: str,
        content: str = "",
        *,
        author: FakeUser | None = None,
        files: list[UploadedFile] | None = None,
    ) -> tuple[FakeChannel, StoredMessage]:
        """A user opens a post: THREAD_CREATE (newly created), then the starter message's MESSAGE_CREATE
        (its content reaches the bot only with the content intent or when it mentions the bot)."""
        if forum.type != FORUM_CHANNEL:
            raise ValueError(f"{forum.name} is not a forum channel")
        author = author or self.member_user
        thread = new_thread(forum, title, author, self.snowflake())
        starter = self._user_message(thread, author, content, files or [], message_id=thread.id)
        self.messages[starter.id] = starter  # the post exists with its message before anyone hears of it
        await announce(self, thread)
        await self.publish(starter)
        return thread, starter

    async def start_thread(  # type: ignore[misc]
        self: FakeDiscord,
        name: str,
        *,
        message: StoredMessage | None = None,
        channel: FakeChannel | None = None,
        author: FakeUser | None = None,
    ) -> FakeChannel:
        """A user starts a thread on ``message`` (the thread takes its id) or without one in ``channel``."""
        author = author or self.member_user
        if message is not None:
            parent = self.world.channel(message.channel_id)
            assert parent is not None
            thread = await open_thread(self, parent, name, author, message.id)
            mark_started(message, thread)
            return thread
        if channel is None:
            raise ValueError("start a thread on a message or in a channel")
        return await open_thread(self, channel, name, author, self.snowflake())

    def _user_message(  # type: ignore[misc]
        self: FakeDiscord,
        channel: FakeChannel,
        author: FakeUser,
        content: str,
        files: list[UploadedFile],
        *,
        message_id: int | None = None,
    ) -> StoredMessage:
        """A message a user wrote (with uploaded files as attachments), not yet delivered."""
        message_id = message_id or self.snowflake()
        return build_message(
            message_id=message_id,
            world=self.world,
            channel=channel,
            author=author,
            body={"content": content},
            files=files,
            attachments=attachments_for({}, files, channel.id, self.snowflake),
        )

    async def send_message_command(  # type: ignore[misc]
        self: FakeDiscord, name: str, target: StoredMessage, *, user: FakeUser | None = None, locale: str = "en-US"
    ) -> InteractionRecord:
        """A user picks Apps → ``name`` on ``target``; the command must be registered as a message command."""
        channel = self.world.channel(target.channel_id)
        assert channel is not None
        command = self._registered(name, channel, COMMAND_MESSAGE)
        if command is None:
            raise LookupError(f"no message command {name!r} is registered")
        data: dict[str, Any] = {
            "id": str(command["id"]),
            "name": name,
            "type": COMMAND_MESSAGE,
            "target_id": str(target.id),
            "resolved": {"messages": {str(target.id): target.payload}},
        }
        if command.get("guild_id"):
            data["guild_id"] = str(command["guild_id"])
        return await self._interact(INTERACTION_COMMAND, data, channel, user or self.member_user, locale=locale)

    def offered(  # type: ignore[misc]
        self: FakeDiscord, name: str, *, user: FakeUser, channel: FakeChannel, command_type: int = COMMAND_CHAT_INPUT
    ) -> bool:
        """Whether Discord's client lists the command for ``user`` in ``channel``: not in DMs when the command
        is guild-only (``contexts`` without 1 or ``dm_permission`` false), and in a server only for members
        holding every permission bit of ``default_member_permissions`` (administrators hold them all)."""
        command = self._registered(name, channel, command_type)
        if command is None:
            return False
        guild = self.world.guild(channel.guild_id)
        if guild is None:
            contexts = command.get("contexts")
            return command.get("dm_permission", True) is not False and (contexts is None or 1 in contexts)
        required = command.get("default_member_permissions")
        if required is None:
            return True
        held = guild.permissions_for(user)
        return bool(held & ADMINISTRATOR) or int(required) & held == int(required)


def upload(filename: str, data: bytes, content_type: str = "application/octet-stream") -> UploadedFile:
    """A file a user attaches to a message (``files=[upload(...)]``)."""
    return UploadedFile(f"files[{secrets.randbelow(1000)}]", filename, content_type, data)
