"""Turning request bodies into stored messages the way Discord does (ids, attachments, replies, edits)."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from typing import Any

from tests.fakediscord.records import EPHEMERAL, LOADING, StoredMessage, UploadedFile
from tests.fakediscord.world import FakeChannel, FakeUser, World, iso_now

USER_MENTION = re.compile(r"<@!?(\d+)>")
MESSAGE_TYPE_DEFAULT, MESSAGE_TYPE_REPLY, MESSAGE_TYPE_CHAT_INPUT = 0, 19, 20
EMPTY_MESSAGE_KEYS = ("content", "embeds", "components", "sticker_ids", "poll")


def is_empty(body: dict[str, Any], files: list[UploadedFile]) -> bool:
    """Discord answers 50006 "Cannot send an empty message" to a create with nothing to show."""
    return not files and not any(body.get(key) for key in EMPTY_MESSAGE_KEYS)


def attachments_for(
    body: dict[str, Any], files: list[UploadedFile], channel_id: int, snowflake: Callable[[], int]
) -> list[dict[str, Any]]:
    """Attachment objects for uploaded files, honouring ``attachments[].description``/filename."""
    declared = {str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)}
    result = []
    for index, upload in enumerate(files):
        meta = declared.get(str(index), {})
        attachment_id = snowflake()
        filename = meta.get("filename") or upload.filename
        url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{filename}"
        result.append(
            {
                "id": str(attachment_id),
                "filename": filename,
                "description": meta.get("description"),
                "content_type": _content_type(upload, filename),
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
            }
        )
    return result


def _content_type(upload: UploadedFile, filename: str) -> str:
    """Discord sniffs the type from the name when the client sends a generic one (discord.py does)."""
    if upload.content_type not in ("", "application/octet-stream"):
        return upload.content_type
    return mimetypes.guess_type(filename)[0] or upload.content_type


def mentions_in(content: str, world: World, channel: FakeChannel) -> list[dict[str, Any]]:
    """User objects for every ``<@id>`` in the content (with member data inside guilds)."""
    guild = world.guild(channel.guild_id)
    mentioned = []
    for user_id in dict.fromkeys(int(found) for found in USER_MENTION.findall(content)):
        user = world.user(user_id)
        if user is None:
            continue
        entry = user.payload()
        if guild is not None:
            entry["member"] = guild.member_payload(user, with_user=False)
        mentioned.append(entry)
    return mentioned


def build_message(
    *,
    message_id: int,
    world: World,
    channel: FakeChannel,
    author: FakeUser,
    body: dict[str, Any],
    files: list[UploadedFile],
    attachments: list[dict[str, Any]],
    referenced: StoredMessage | None = None,
    extra: dict[str, Any] | None = None,
) -> StoredMessage:
    """A full message object, as Discord would return it and later send in MESSAGE_CREATE."""
    content = body.get("content") or ""
    payload: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel.id),
        "author": author.payload(),
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "mention_everyone": False,
        "mentions": mentions_in(content, world, channel),
        "mention_roles": [],
        "attachments": attachments,
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "pinned": False,
        "type": MESSAGE_TYPE_DEFAULT,
        "flags": body.get("flags") or 0,
    }
    guild = world.guild(channel.guild_id)
    if guild is not None:
        payload["guild_id"] = str(guild.id)
        payload["member"] = guild.member_payload(author, with_user=False)
    if referenced is not None:
        payload["type"] = MESSAGE_TYPE_REPLY
        payload["message_reference"] = {
            "type": 0,
            "message_id": str(referenced.id),
            "channel_id": str(referenced.channel_id),
            **({"guild_id": payload["guild_id"]} if guild is not None else {}),
        }
        payload["referenced_message"] = referenced.payload
    payload.update(extra or {})
    return StoredMessage(payload=payload, files=list(files))


def apply_edit(
    message: StoredMessage, body: dict[str, Any], files: list[UploadedFile], attachments: list[dict[str, Any]]
) -> None:
    """PATCH semantics: only keys present change; ``attachments`` lists the ones to keep."""
    payload = message.payload
    for key, empty in (("content", ""), ("embeds", []), ("components", [])):
        if key in body:
            payload[key] = body[key] or empty
    # Ephemerality is fixed at creation; a settled placeholder stops "thinking".
    ephemeral = payload.get("flags", 0) & EPHEMERAL
    flags = body.get("flags") if "flags" in body else payload.get("flags")
    payload["flags"] = ((flags or 0) & ~(EPHEMERAL | LOADING)) | ephemeral
    if "attachments" in body:
        kept_ids = {str(a.get("id")) for a in body["attachments"] or []}
        payload["attachments"] = [a for a in payload["attachments"] if a["id"] in kept_ids]
    payload["attachments"] = payload["attachments"] + attachments
    payload["edited_timestamp"] = iso_now()
    message.files.extend(files)
    message.edits.append(body)
