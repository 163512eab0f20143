"""Gateway event payloads a test injects: INTERACTION_CREATE and MESSAGE_CREATE.

The shapes follow what Discord sends and discord.py parses; where Discord enforces something on
the user's side (registered option names, required options, message-content intent) so does this.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.fakediscord.records import StoredMessage
from tests.fakediscord.world import FakeChannel, FakeUser, World

INTERACTION_COMMAND, INTERACTION_COMPONENT, INTERACTION_AUTOCOMPLETE = 2, 3, 4
OPTION_SUBCOMMAND, OPTION_GROUP = 1, 2
OPTION_STRING, OPTION_INTEGER, OPTION_BOOLEAN, OPTION_NUMBER = 3, 4, 5, 10
OPTION_USER, OPTION_CHANNEL = 6, 7
GUILD_MESSAGES_INTENT = 1 << 9
DIRECT_MESSAGES_INTENT = 1 << 12
MESSAGE_CONTENT_INTENT = 1 << 15
ATTACHMENT_SIZE_LIMIT = 25 * 1024 * 1024
CONVERTERS: dict[int, type] = {OPTION_STRING: str, OPTION_INTEGER: int, OPTION_BOOLEAN: bool, OPTION_NUMBER: float}


def _infer_option_type(value: Any) -> int:
    if isinstance(value, FakeUser):
        return OPTION_USER
    if isinstance(value, FakeChannel):
        return OPTION_CHANNEL
    if isinstance(value, bool):
        return OPTION_BOOLEAN
    if isinstance(value, int):
        return OPTION_INTEGER
    if isinstance(value, float):
        return OPTION_NUMBER
    if isinstance(value, str):
        return OPTION_STRING
    raise TypeError(f"fake Discord supports string/integer/number/boolean/user/channel options, not {value!r}")


def _resolve(option_type: int, value: Any, resolved: dict[str, dict[str, Any]]) -> str:
    """A user or channel option carries the id; its object goes into ``resolved``, as Discord does."""
    expected = FakeUser if option_type == OPTION_USER else FakeChannel
    if not isinstance(value, expected):
        raise TypeError(f"option type {option_type} takes a {expected.__name__}, not {value!r}")
    if isinstance(value, FakeUser):
        resolved.setdefault("users", {})[str(value.id)] = value.payload()
    else:
        channel = {k: v for k, v in value.payload().items() if k in ("id", "name", "type", "parent_id")}
        resolved.setdefault("channels", {})[str(value.id)] = channel | {"permissions": "0"}
    return str(value.id)


def _typed_options(
    definitions: list[dict[str, Any]] | None,
    values: dict[str, Any],
    *,
    check_required: bool,
    focused: str | None,
    resolved: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Options as Discord sends them (users and channels also into ``resolved``); with a registered
    definition, unknown names are refused."""
    known = {d["name"]: d for d in definitions or []}
    if definitions is not None:
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"options {sorted(unknown)} are not registered; known: {sorted(known)}")
        missing = [n for n, d in known.items() if d.get("required") and n not in values]
        if check_required and missing:
            raise ValueError(f"required options missing: {missing}")
    options = []
    for name, value in values.items():
        option_type = known[name]["type"] if name in known else _infer_option_type(value)
        if option_type in (OPTION_USER, OPTION_CHANNEL):
            converted: Any = _resolve(option_type, value, resolved)
        elif option_type in CONVERTERS:
            converted = CONVERTERS[option_type](value)
        else:
            raise TypeError(f"option {name!r} has type {option_type}; the fake does not send it")
        option: dict[str, Any] = {"name": name, "type": option_type, "value": converted}
        if name == focused:
            option["value"] = str(value)
            option["focused"] = True
        options.append(option)
    return options


def command_data(
    command: dict[str, Any] | None,
    path: str,
    values: dict[str, Any],
    *,
    fallback_id: int,
    focused: str | None = None,
) -> dict[str, Any]:
    """``data`` of a slash-command (or autocomplete) interaction; ``path`` may be "group sub"."""
    root, *subs = path.split()
    definitions = None if command is None else command.get("options") or []
    chain: list[dict[str, Any]] = []
    for sub in subs:
        found = next((d for d in definitions or [] if d["name"] == sub), None)
        if command is not None and found is None:
            raise ValueError(f"/{root} has no subcommand {sub!r}")
        option_type = found["type"] if found else (OPTION_SUBCOMMAND if sub == subs[-1] else OPTION_GROUP)
        chain.append({"name": sub, "type": option_type})
        definitions = None if found is None else found.get("options") or []
    resolved: dict[str, dict[str, Any]] = {}
    options = _typed_options(definitions, values, check_required=focused is None, focused=focused, resolved=resolved)
    for level in reversed(chain):
        level["options"] = options
        options = [level]
    data: dict[str, Any] = {
        "id": str(command["id"]) if command else str(fallback_id),
        "name": root,
        "type": 1,
        "options": options,
    }
    if resolved:
        data["resolved"] = resolved
    if command and command.get("guild_id"):
        data["guild_id"] = str(command["guild_id"])
    return data


def interaction_payload(
    *,
    world: World,
    interaction_id: int,
    token: str,
    interaction_type: int,
    data: dict[str, Any],
    channel: FakeChannel,
    user: FakeUser,
    message: StoredMessage | None = None,
    locale: str = "en-US",
) -> dict[str, Any]:
    """INTERACTION_CREATE data for a guild channel (with member + permissions) or a DM; ``locale`` is the
    user's client language."""
    guild = world.guild(channel.guild_id)
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": interaction_type,
        "token": token,
        "version": 1,
        "data": data,
        "channel": channel.payload(),
        "channel_id": str(channel.id),
        "locale": locale,
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if guild is not None:
        member = guild.member_payload(user)
        member["permissions"] = str(guild.permissions_for(user))
        payload |= {
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
            "guild_locale": guild.locale,
            "member": member,
            "app_permissions": str(guild.permissions_for(world.bot_user)),
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
        }
    else:
        payload |= {
            "user": user.payload(),
            "app_permissions": "0",
            "authorizing_integration_owners": {"0": "0"},
            "context": 1,
        }
    if message is not None:
        payload["message"] = message.payload
    return payload


def _as_seen_without_content_intent(message: dict[str, Any], bot_id: str) -> dict[str, Any]:
    """Content, embeds, attachments and components only for the bot's own or mentioning messages."""
    if message["author"]["id"] == bot_id or any(u["id"] == bot_id for u in message.get("mentions", [])):
        return message
    return message | {"content": "", "embeds": [], "attachments": [], "components": []}


def message_create_payload(message: StoredMessage, world: World, intents: int) -> dict[str, Any] | None:
    """MESSAGE_CREATE data as Discord would deliver it to the bot, or None if not subscribed."""
    is_dm = "guild_id" not in message.payload
    if not intents & (DIRECT_MESSAGES_INTENT if is_dm else GUILD_MESSAGES_INTENT):
        return None
    return as_seen_by_bot(message, world, intents)


def as_seen_by_bot(message: StoredMessage, world: World, intents: int) -> dict[str, Any]:
    """A message as the bot may read it, over the gateway or REST: without the content intent a guild
    message keeps its content only when the bot wrote it or is mentioned in it."""
    payload = copy.deepcopy(message.payload)
    is_dm = "guild_id" not in payload
    if intents & MESSAGE_CONTENT_INTENT or is_dm:
        return payload
    bot_id = str(world.bot_user.id)
    if payload.get("referenced_message"):
        payload["referenced_message"] = _as_seen_without_content_intent(payload["referenced_message"], bot_id)
    return _as_seen_without_content_intent(payload, bot_id)
