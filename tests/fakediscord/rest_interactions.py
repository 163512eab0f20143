"""REST handlers for interaction callbacks and the interaction webhook (follow-ups, @original).

Discord's rules enforced here: the initial callback must arrive within the deadline (3 s) and only
once; the callback type must suit the interaction; follow-ups need an acknowledged interaction;
the first follow-up after a defer replaces the "thinking…" placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakediscord.events import INTERACTION_AUTOCOMPLETE, INTERACTION_COMMAND, INTERACTION_COMPONENT
from tests.fakediscord.messages import (
    MESSAGE_TYPE_CHAT_INPUT,
    MESSAGE_TYPE_DEFAULT,
    apply_edit,
    attachments_for,
    build_message,
    is_empty,
)
from tests.fakediscord.records import (
    EPHEMERAL,
    LOADING,
    InteractionRecord,
    RecordedRequest,
    StoredMessage,
    UploadedFile,
)
from tests.fakediscord.rest import empty_message, unknown_message
from tests.fakediscord.routing import DiscordError, Handler, flag, invalid_form, registrar

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)

CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE = 4, 5, 6, 7
CALLBACK_AUTOCOMPLETE, CALLBACK_MODAL = 8, 9
ALLOWED_CALLBACKS = {
    INTERACTION_COMMAND: {CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_MODAL},
    INTERACTION_COMPONENT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE,
        CALLBACK_MODAL,
    },
    INTERACTION_AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE},
}


def unknown_interaction() -> DiscordError:
    return DiscordError(404, 10062, "Unknown interaction")


def unknown_webhook() -> DiscordError:
    return DiscordError(404, 10015, "Unknown Webhook")


def _interaction_message(
    fake: FakeDiscord, record: InteractionRecord, body: dict[str, Any], files: list[UploadedFile]
) -> StoredMessage:
    """A message sent through the interaction: authored by the bot via the application webhook."""
    channel = fake.world.channel(int(record.payload["channel_id"]))
    assert channel is not None, "interactions are only sent in channels the world knows"
    user = (record.payload.get("member") or record.payload)["user"]
    app_id = str(fake.world.application_id)
    extra = {
        "webhook_id": app_id,
        "application_id": app_id,
        "type": MESSAGE_TYPE_CHAT_INPUT if record.type == INTERACTION_COMMAND else MESSAGE_TYPE_DEFAULT,
        "interaction_metadata": {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
        },
    }
    return build_message(
        message_id=fake.snowflake(),
        world=fake.world,
        channel=channel,
        author=fake.world.bot_user,
        body=body,
        files=files,
        attachments=attachments_for(body, files, channel.id, fake.snowflake),
        extra=extra,
    )


def _callback_response(record: InteractionRecord) -> dict[str, Any]:
    """The ``?with_response=1`` body discord.py turns into an InteractionCallbackResponse."""
    original = record.original
    interaction: dict[str, Any] = {"id": str(record.id), "type": record.type}
    resource: dict[str, Any] = {"type": record.callback_type}
    if original is not None:
        interaction |= {
            "response_message_id": str(original.id),
            "response_message_loading": original.loading,
            "response_message_ephemeral": original.ephemeral,
        }
        resource["message"] = original.payload
    return {"interaction": interaction, "resource": resource}


@handles("create_interaction_response")
async def create_interaction_response(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    record = fake.interactions.get(int(req.params["interaction_id"]))
    if record is None or record.token != req.params["interaction_token"]:
        raise unknown_interaction()
    if record.responded:
        raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
    if req.at - record.sent_at > fake.interaction_deadline:
        raise unknown_interaction()
    body = req.body or {}
    callback_type = body.get("type")
    if callback_type not in ALLOWED_CALLBACKS[record.type]:
        raise invalid_form(["type"], f"callback type {callback_type} is invalid for interaction type {record.type}")
    data = body.get("data") or {}
    if callback_type == CALLBACK_MESSAGE:
        if is_empty(data, req.files):
            raise empty_message()
        record.original = _interaction_message(fake, record, data, req.files)
        await fake.publish(record.original)
    elif callback_type == CALLBACK_DEFERRED:
        placeholder = {"flags": LOADING | ((data.get("flags") or 0) & EPHEMERAL)}
        record.original = _interaction_message(fake, record, placeholder, [])
        await fake.publish(record.original)
    elif callback_type in (CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE):
        record.original = fake.messages[int(record.payload["message"]["id"])]
        if callback_type == CALLBACK_UPDATE:
            channel_id = record.original.channel_id
            apply_edit(record.original, data, req.files, attachments_for(data, req.files, channel_id, fake.snowflake))
            record.edits.append(data)
    record.callback_type = callback_type
    record.callback = body
    if not flag(req.query, "with_response"):
        return 204, None
    return 200, _callback_response(record)


def _webhook_interaction(fake: FakeDiscord, req: RecordedRequest) -> InteractionRecord:
    """The acknowledged interaction whose token the webhook route names."""
    if int(req.params["webhook_id"]) != fake.world.application_id:
        raise unknown_webhook()
    token = req.params["webhook_token"]
    record = next((r for r in fake.interactions.values() if r.token == token), None)
    if record is None or not record.responded:
        raise unknown_webhook()
    return record


def _webhook_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[InteractionRecord, StoredMessage]:
    """``@original`` (no message_id in the route) or one of the interaction's messages."""
    record = _webhook_interaction(fake, req)
    if "message_id" in req.params:
        wanted = int(req.params["message_id"])
        message = next((m for m in [record.original, *record.followups] if m and m.id == wanted), None)
    else:
        message = record.original
    if message is None or message.deleted:
        raise unknown_message()
    return record, message


@handles("execute_webhook")
async def execute_webhook(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    """A follow-up; the first one after a defer settles the placeholder instead of posting anew."""
    record = _webhook_interaction(fake, req)
    body = req.body or {}
    if is_empty(body, req.files):
        raise empty_message()
    original = record.original
    if original is not None and original.loading:
        attachments = attachments_for(body, req.files, original.channel_id, fake.snowflake)
        apply_edit(original, body, req.files, attachments)
        message = original
    else:
        message = _interaction_message(fake, record, body, req.files)
        await fake.publish(message)
    record.followups.append(message)
    return (200, message.payload) if flag(req.query, "wait") else (204, None)


@handles("get_original_webhook_message", "get_webhook_message")
async def get_webhook_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    return 200, _webhook_message(fake, req)[1].payload


@handles("update_original_webhook_message", "update_webhook_message")
async def update_webhook_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    record, message = _webhook_message(fake, req)
    body = req.body or {}
    apply_edit(message, body, req.files, attachments_for(body, req.files, message.channel_id, fake.snowflake))
    record.edits.append(body)
    return 200, message.payload


@handles("delete_original_webhook_message", "delete_webhook_message")
async def delete_webhook_message(fake: FakeDiscord, req: RecordedRequest) -> tuple[int, Any]:
    _webhook_message(fake, req)[1].deleted = True
    return 204, None
