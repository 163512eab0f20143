"""What the fake Discord remembers: requests, messages (with uploaded bytes) and interactions.

Tests assert on these objects rather than on discord.py internals, so they hold the JSON exactly
as the bot sent it plus a few readable properties (``content``, ``ephemeral``, ``custom_ids()``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

EPHEMERAL = 1 << 6
LOADING = 1 << 7

Waiter = Callable[[Callable[[], bool], float], Awaitable[None]]


@dataclass(frozen=True)
class UploadedFile:
    """One ``files[n]`` part of a multipart request, bytes included."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the bot made, and how the fake answered it."""

    method: str
    path: str
    operation_id: str | None
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[UploadedFile]
    at: float
    status: int = 0
    response: Any = None
    unhandled: bool = False

    @property
    def error_code(self) -> int | None:
        """Discord's JSON error ``code`` when the fake refused the request."""
        if self.status >= 400 and isinstance(self.response, dict):
            return self.response.get("code")
        return None


def _walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk_components(component.get("components") or [])
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


@dataclass(eq=False)
class StoredMessage:
    """A message as Discord would return it (``payload``), plus its files and edit history."""

    payload: dict[str, Any]
    files: list[UploadedFile] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def author_id(self) -> int:
        return int(self.payload["author"]["id"])

    @property
    def content(self) -> str:
        return self.payload.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.payload.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.payload.get("components") or []

    @property
    def flags(self) -> int:
        return self.payload.get("flags") or 0

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True for the "bot is thinking…" placeholder of a deferred interaction."""
        return bool(self.flags & LOADING)

    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in _walk_components(self.components) if "custom_id" in c]

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        return next((c for c in _walk_components(self.components) if c.get("custom_id") == custom_id), None)

    def text(self) -> str:
        """Content plus every embed text field: handy for "does the answer quote X" assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [(embed.get("footer") or {}).get("text") or "", (embed.get("author") or {}).get("name") or ""]
            for embed_field in embed.get("fields") or []:
                parts += [embed_field.get("name") or "", embed_field.get("value") or ""]
        return "\n".join(part for part in parts if part)


@dataclass(eq=False)
class InteractionRecord:
    """One interaction the test sent and everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    sent_at: float
    waiter: Waiter
    callback_type: int | None = None
    callback: dict[str, Any] | None = None
    original: StoredMessage | None = None
    followups: list[StoredMessage] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def responded(self) -> bool:
        return self.callback_type is not None

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    @property
    def ephemeral(self) -> bool:
        return self.original is not None and self.original.ephemeral

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete suggestions (callback type 8)."""
        if self.callback_type != 8 or self.callback is None:
            return []
        return (self.callback.get("data") or {}).get("choices") or []

    @property
    def messages(self) -> list[StoredMessage]:
        """Visible messages this interaction produced: the settled original, then follow-ups."""
        found = [self.original] if self.original and not self.original.loading else []
        found += [m for m in self.followups if m is not self.original]
        return [m for m in found if not m.deleted]

    async def wait_for_response(self, timeout: float = 5.0) -> InteractionRecord:
        """Wait for the initial callback (reply, defer, update or autocomplete)."""
        await self.waiter(lambda: self.responded, timeout)
        return self

    async def wait_for_answer(self, timeout: float = 5.0) -> StoredMessage:
        """Wait for the first visible non-placeholder message, however the bot got there."""
        await self.waiter(lambda: bool(self.messages), timeout)
        return self.messages[0]

    async def wait_for_followup(self, count: int = 1, timeout: float = 5.0) -> StoredMessage:
        """Wait until ``count`` follow-ups exist and return the latest."""
        await self.waiter(lambda: len(self.followups) >= count, timeout)
        return self.followups[count - 1]
