"""HTTP plumbing shared by the REST side: body parsing, JSON answers, Discord-style errors, 429s."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakediscord.records import RecordedRequest, UploadedFile
from tests.fakediscord.schema import form_error

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

Handler = Callable[["FakeDiscord", RecordedRequest], Awaitable[tuple[int, Any]]]


class DiscordError(Exception):
    """Raised by a handler to answer the way Discord refuses a request (status + JSON code)."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def invalid_form(path: list[str | int], message: str) -> DiscordError:
    """HTTP 400 / 50035 with Discord's nested ``errors`` pointing at the offending field."""
    return DiscordError(400, 50035, "Invalid Form Body", form_error(path, "INVALID", message))


def registrar(table: dict[str, Handler]) -> Callable[..., Callable[[Handler], Handler]]:
    """Decorator factory: ``@handles("create_message")`` files the function under operationIds."""

    def handles(*operation_ids: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for operation_id in operation_ids:
                table[operation_id] = handler
            return handler

        return register

    return handles


def flag(query: dict[str, str], name: str) -> bool:
    """Discord's boolean query params accept ``true``/``1`` (discord.py sends ``1``)."""
    return query.get(name, "").lower() in ("1", "true")


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """Exactly ``application/json`` (no charset): discord.py only parses that content type."""
    if body is None:
        return web.Response(status=status, headers=headers)
    return web.Response(status=status, body=json.dumps(body).encode(), content_type="application/json", headers=headers)


async def read_body(request: web.Request) -> tuple[Any, list[UploadedFile], str]:
    """JSON body, or ``payload_json`` plus ``files[n]`` parts of a multipart body."""
    content_type = request.content_type
    if content_type == "multipart/form-data":
        form = await request.post()
        files = [
            UploadedFile(name, part.filename, part.content_type, part.file.read())
            for name, part in sorted(form.items())
            if isinstance(part, web.FileField)
        ]
        payload = form.get("payload_json")
        return (json.loads(str(payload)) if payload is not None else None), files, content_type
    if request.can_read_body:
        return json.loads(await request.text()), [], content_type
    return None, [], content_type


def rate_limited(retry_after: float) -> tuple[dict[str, Any], dict[str, str]]:
    """A per-route 429 as Discord sends it; ``Via`` tells discord.py it is not a Cloudflare ban."""
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, round(retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": secrets.token_hex(8),
        "X-RateLimit-Scope": "user",
    }
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
    return body, headers
