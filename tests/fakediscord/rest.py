"""REST handlers for login, command sync, channels and channel messages, keyed by operationId."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakediscord.events import as_seen_by_bot
from tests.fakediscord.messages import apply_edit, attachments_for, build_message, is_empty
from tests.fakediscord.records import RecordedRequest, StoredMessage
from tests.fakediscord.routing import DiscordError, Handler, invalid_form, registrar
from tests.fakediscord.world import FakeChannel, FakeGuild, FakeUser

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)
DEFAULT_HISTORY_LIMIT = 50


def empty_message() -> DiscordError:
    return DiscordError(400, 50006, "Cannot send an empty message")


def unknown_message() -> DiscordError:
    return DiscordError(404, 10008, "Unknown Message")


def _guild(fake: FakeDiscord, req: RecordedRequest) -> FakeGuild | None:
    """The guild named in the path, None for global routes; unknown ids are refused."""
    if "guild_id" not in req.params:
        return None
    guild = fake.world.guild(int(req.params["guild_id"]))
    if guild is None:
        raise DiscordError(404, 10004, "Unknown Guild")
    return guild


def _user(fake: FakeDiscord, user_id: str | int) -> FakeUser:
    user = fake.world.user(int(user_id))
    if user is None:
        raise DiscordError(404, 10013, "Unknown User")
    return user


def _channel(fake: FakeDiscord, req: RecordedRequest) -> FakeChannel:
    channel = fake.world.channel(int(req.params["channel_id"]))
    if channel is None:
        raise DiscordError(404, 10003, "Unknown Channel")
    return channel


def _message(fake: FakeDiscord, channel: FakeChannel, req: RecordedRequest) -> StoredMessage:
    message = fake.messages.get(int(req.params["message_id"]))
    if message is None or message.deleted or message.channel_id != channel.id:
        raise unknown_message()
    return message


@handles("get_my_user")
async def get_my_user(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    return 200, fake.world.bot_user.payload()


@handles("get_my_oauth2_application", "get_my_application")
async def get_application(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    return 200, fake.world.application_payload()


@handles("get_bot_gateway", "get_gateway")
async def get_gateway(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    limits = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
    return 200, {"url": str(fake.gateway_url), "shards": fake.shard_count, "session_start_limit": limits}


@handles("bulk_set_application_commands", "bulk_set_guild_application_commands")
async def put_commands(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    """Replace the command set; a command keeps its id across syncs (keyed by name and type)."""
    guild = _guild(fake, req)
    scope = None if guild is None else guild.id
    previous = {(c["name"], c["type"]): c["id"] for c in fake.registered_commands.get(scope, [])}
    commands = []
    for body in req.body or []:
        command_type = body.get("type") or 1
        command: dict[str, Any] = {
            "description": "",  # context-menu commands have none; Discord answers with an empty one
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **body,
            "id": previous.get((body["name"], command_type)) or str(fake.snowflake()),
            "application_id": str(fake.world.application_id),
            "type": command_type,
            "version": str(fake.snowflake()),
        }
        if guild is not None:
            command["guild_id"] = str(guild.id)
        commands.append(command)
    fake.registered_commands[scope] = commands
    return 200, commands


@handles("list_application_commands", "list_guild_application_commands")
async def list_commands(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    guild = _guild(fake, req)
    return 200, fake.registered_commands.get(None if guild is None else guild.id, [])


@handles("get_channel")
async def get_channel(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    return 200, _channel(fake, req).payload()


@handles("get_guild")
async def get_guild(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    guild = _guild(fake, req)
    assert guild is not None
    return 200, guild.create_payload()


@handles("get_user")
async def get_user(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    return 200, _user(fake, req.params["user_id"]).payload()


@handles("get_guild_member")
async def get_guild_member(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    guild = _guild(fake, req)
    user = _user(fake, req.params["user_id"])
    if guild is None or user.id not in guild.users:
        raise DiscordError(404, 10007, "Unknown Member")
    return 200, guild.member_payload(user)


@handles("create_dm")
async def create_dm(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    """``user.send()`` opens the DM channel first; messages to it land in ``fake.dm_channel(user)``."""
    return 200, fake.world.dm_channel(_user(fake, (req.body or {})["recipient_id"])).payload()


@handles("trigger_typing_indicator", "add_my_message_reaction", "delete_my_message_reaction")
async def acknowledge(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    """Typing and reactions leave no trace beyond the recorded request."""
    _channel(fake, req)
    return 204, None


def _referenced(fake: FakeDiscord, reference: dict[str, Any] | None) -> StoredMessage | None:
    """The message a reply points at; Discord refuses unknown ones unless told not to."""
    if not reference:
        return None
    message = fake.messages.get(int(reference["message_id"]))
    if (message is None or message.deleted) and reference.get("fail_if_not_exists", True):
        raise invalid_form(["message_reference"], "Unknown message")
    return message


@handles("create_message")
async def create_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    channel = _channel(fake, req)
    body = req.body or {}
    if is_empty(body, req.files):
        raise empty_message()
    message = build_message(
        message_id=fake.snowflake(),
        world=fake.world,
        channel=channel,
        author=fake.world.bot_user,
        body=body,
        files=req.files,
        attachments=attachments_for(body, req.files, channel.id, fake.snowflake),
        referenced=_referenced(fake, body.get("message_reference")),
    )
    await fake.publish(message)
    return 200, message.payload


@handles("update_message")
async def update_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    channel = _channel(fake, req)
    message = _message(fake, channel, req)
    if message.author_id != fake.world.bot_user.id:
        raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
    body = req.body or {}
    apply_edit(message, body, req.files, attachments_for(body, req.files, channel.id, fake.snowflake))
    return 200, message.payload


@handles("delete_message")
async def delete_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    _message(fake, _channel(fake, req), req).deleted = True
    return 204, None


@handles("get_message")
async def get_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    return 200, as_seen_by_bot(_message(fake, _channel(fake, req), req), fake.world, fake.gateway.intents)


@handles("list_messages")
async def list_messages(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    """Channel history, newest first, honouring ``limit``, ``before`` and ``after``."""
    channel = _channel(fake, req)
    limit = int(req.query.get("limit", DEFAULT_HISTORY_LIMIT))
    before = int(req.query.get("before", 1 << 64))
    after = int(req.query.get("after", 0))
    found = [m for m in reversed(fake.channel_messages(channel)) if after < m.id < before]
    return 200, [as_seen_by_bot(message, fake.world, fake.gateway.intents) for message in found[:limit]]
