"""Discord's own OpenAPI description, used to route requests and to reject bodies Discord would reject.

Request bodies are validated with jsonschema Draft 2020-12 against the operation's ``requestBody``
schema, with the whole document registered so ``#/components/schemas/...`` references resolve.
The two rules the spec cannot express (the 6000-character embed total, and "no empty messages")
are checked here too, so a bot that passes these tests sends only what Discord accepts.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "discord" / "openapi.json"
SPEC_URI = "urn:discord:openapi"
EMBED_TOTAL_LIMIT = 6000
METHODS = ("get", "put", "post", "patch", "delete")
# Discord also accepts integer snowflakes (discord.py sends some, e.g. in message_reference).
SNOWFLAKE_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"},
        {"type": "integer", "minimum": 0},
    ]
}


@dataclass(frozen=True)
class Operation:
    """One (method, path template) of the API, e.g. ``POST /channels/{channel_id}/messages``."""

    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    content_types: tuple[str, ...]

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method.lower() != self.method:
            return None
        found = self.pattern.fullmatch(path)
        return found.groupdict() if found else None


def _compile_template(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-z_]+\})", template)
    regex = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(regex)


def _pointer_escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def form_error(path: list[str | int], code: str, message: str) -> dict[str, Any]:
    """Discord's error shape: ``{"embeds": {"0": {"title": {"_errors": [...]}}}}``."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for segment in reversed(path):
        errors = {str(segment): errors}
    return errors


def _deepest(error: ValidationError) -> ValidationError:
    """The most specific leaf of an anyOf/oneOf failure.

    Discord's unions are discriminated by ``type``; the branch that failed deepest in the body is
    the one the sender meant, and its leaf names the offending field.
    """
    leaves = [_deepest(sub) for sub in error.context or []]
    return max(leaves, key=lambda leaf: len(leaf.absolute_path), default=error)


def _describe(error: ValidationError) -> dict[str, Any]:
    """Discord-style wording for length limits; otherwise jsonschema's message, shortened."""
    if error.validator in ("maxLength", "maxItems"):
        code, message = "BASE_TYPE_MAX_LENGTH", f"Must be {error.validator_value} or fewer in length."
    else:
        code, message = "SCHEMA_VALIDATION", error.message[:300]
    return form_error(list(error.absolute_path), code, message)


def embed_total(embeds: list[dict[str, Any]]) -> int:
    """Characters Discord counts toward the 6000 limit across all embeds of one message."""
    total = 0
    for embed in embeds:
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
        for embed_field in embed.get("fields") or []:
            total += len(embed_field.get("name") or "") + len(embed_field.get("value") or "")
    return total


def message_part(operation_id: str, body: Any) -> dict[str, Any] | None:
    """The message-shaped part of a body: interaction callbacks nest it under ``data``."""
    if not isinstance(body, dict):
        return None
    if operation_id == "create_interaction_response":
        data = body.get("data")
        return data if isinstance(data, dict) and body.get("type") in (4, 7) else None
    return body


class DiscordSpec:
    """Routes paths to operations and validates request bodies; validators are built lazily."""

    def __init__(self, document: dict[str, Any]) -> None:
        document = copy.deepcopy(document)
        document["components"]["schemas"]["SnowflakeType"] = SNOWFLAKE_SCHEMA
        self._document = document
        self._registry: Registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(document))
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}
        operations = [
            Operation(
                operation_id=spec["operationId"],
                method=method,
                template=template,
                pattern=_compile_template(template),
                content_types=tuple(spec.get("requestBody", {}).get("content", {})),
            )
            for template, item in document["paths"].items()
            for method, spec in item.items()
            if method in METHODS
        ]
        # Literal segments win over parameters: /messages/@original before /messages/{message_id}.
        self.operations = sorted(operations, key=lambda op: op.template.count("{"))

    def find(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for operation in self.operations:
            params = operation.match(method, path)
            if params is not None:
                return operation, params
        return None

    def _validator(self, operation: Operation, content_type: str) -> Draft202012Validator:
        key = (operation.operation_id, content_type)
        if key not in self._validators:
            segments = ("paths", operation.template, operation.method, "requestBody", "content", content_type)
            pointer = "/".join(_pointer_escape(segment) for segment in (*segments, "schema"))
            schema = {"$ref": f"{SPEC_URI}#/{pointer}"}
            self._validators[key] = Draft202012Validator(schema, registry=self._registry)
        return self._validators[key]

    def validate(self, operation: Operation, content_type: str, body: Any) -> dict[str, Any] | None:
        """Discord-shaped ``errors`` for an invalid body, or None when Discord would accept it."""
        if content_type not in operation.content_types:
            content_type = "application/json"
        if content_type in operation.content_types:
            error = best_match(self._validator(operation, content_type).iter_errors(body))
            if error is not None:
                return _describe(_deepest(error))
        message = message_part(operation.operation_id, body)
        embeds = (message or {}).get("embeds") or []
        total = embed_total(embeds)
        if total > EMBED_TOTAL_LIMIT:
            return form_error(
                ["embeds"], "BASE_TYPE_MAX_LENGTH", f"Embed size exceeds maximum size of {EMBED_TOTAL_LIMIT}"
            )
        return None


@functools.cache
def load_spec() -> DiscordSpec:
    """Parsed once per test session: the document is over a megabyte."""
    return DiscordSpec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
