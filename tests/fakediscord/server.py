"""FakeDiscord: an aiohttp server speaking enough of Discord's REST API and gateway for discord.py.

Every REST request is recorded, validated against Discord's OpenAPI schema (400/50035 on
violation), optionally answered with one injected 429, then routed by operationId to a handler.
Tests drive it with ``send_command``/``click``/``send_message`` and read what the bot answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import discord
import yarl
from aiohttp import web

from tests.fakediscord import rest, rest_interactions, rest_threads
from tests.fakediscord.community import CommunityActions
from tests.fakediscord.events import (
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMMAND,
    INTERACTION_COMPONENT,
    command_data,
    interaction_payload,
    message_create_payload,
)
from tests.fakediscord.gateway import Gateway
from tests.fakediscord.idle import PendingCounter, wait_until_idle
from tests.fakediscord.messages import attachments_for, build_message
from tests.fakediscord.records import InteractionRecord, RecordedRequest, StoredMessage, UploadedFile
from tests.fakediscord.routing import DiscordError, json_response, rate_limited, read_body
from tests.fakediscord.schema import load_spec
from tests.fakediscord.world import FakeChannel, FakeGuild, FakeUser, SnowflakeFactory, World

logger = logging.getLogger(__name__)

HANDLERS = rest.HANDLERS | rest_interactions.HANDLERS | rest_threads.HANDLERS
MAX_BODY_BYTES = 32 * 1024 * 1024


class FakeDiscord(CommunityActions):
    """A fake Discord on 127.0.0.1 with two guilds; see the package docstring for the test API."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        owner_id: int | None = None,
        interaction_deadline: float = 3.0,
        shard_count: int = 1,
    ) -> None:
        self.token = token
        self.shard_count = shard_count
        self.snowflake = SnowflakeFactory()
        self.world = World(self.snowflake, owner_id=owner_id, shard_count=shard_count)
        self.spec = load_spec()
        self.gateway = Gateway(self.world, token, self._notify)
        self.interaction_deadline = interaction_deadline
        self.requests: list[RecordedRequest] = []
        self.messages: dict[int, StoredMessage] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.registered_commands: dict[int | None, list[dict[str, Any]]] = {}
        self._rate_limits: list[tuple[str, float]] = []
        self._pending = PendingCounter()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.gateway_url = yarl.URL()
        world = self.world
        self.bot_user, self.owner_user = world.bot_user, world.owner_user
        self.mod_user, self.member_user = world.mod_user, world.member_user
        self.guild_a, self.guild_b = world.guild_a, world.guild_b
        self.channel_a1, self.channel_a2 = world.channel_a1, world.channel_a2
        self.channel_b1, self.channel_b2 = world.channel_b1, world.channel_b2

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle_rest)
        app.router.add_get("/gateway", self.gateway.handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/api/v10"
        self.gateway_url = yarl.URL(f"ws://127.0.0.1:{port}/gateway")

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- waiting ---------------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Return once ``predicate()`` holds, re-checking after every request or gateway change."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = [f"{r.method} {r.path} -> {r.status}" for r in self.requests[-5:]]
                raise TimeoutError(f"condition not met within {timeout}s; last requests: {recent}")
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_until_ready(self, timeout: float = 5.0, *, shards: int = 1) -> None:
        """Until a client has identified (READY and its GUILD_CREATEs have been sent) on ``shards`` shards."""
        await self.wait_for(lambda: len(self.gateway.ready_shards) >= shards, timeout)

    async def wait_until_idle(self, client: discord.Client, timeout: float = 5.0) -> None:
        """Until ``client`` has read every event sent, finished its handlers and received every reply.

        Use it instead of sleeping before asserting that the bot did nothing (more).
        """
        await wait_until_idle(client, self.gateway, self._pending, timeout)

    # -- REST pipeline ---------------------------------------------------------------------------

    async def _handle_rest(self, request: web.Request) -> web.Response:
        self._pending.count += 1
        try:
            return await self._serve_rest(request)
        finally:
            self._pending.count -= 1

    async def _serve_rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        try:
            body, files, content_type = await read_body(request)
        except json.JSONDecodeError:
            return json_response(400, {"code": 50109, "message": "The request body contains invalid JSON."})
        found = self.spec.find(request.method, path)
        operation, params = found if found else (None, {})
        record = RecordedRequest(
            method=request.method,
            path=path,
            operation_id=operation.operation_id if operation else None,
            params=params,
            query=dict(request.query),
            body=body,
            files=files,
            at=asyncio.get_running_loop().time(),
        )
        self.requests.append(record)
        headers: dict[str, str] | None = None
        try:
            if operation is None or operation.operation_id not in HANDLERS:
                record.unhandled = True
                raise DiscordError(404, 0, f"fake Discord does not implement {request.method} {path}")
            retry_after = self._take_rate_limit(operation.operation_id)
            if retry_after is not None:
                status, response, headers = 429, *rate_limited(retry_after)
            else:
                if body is not None and operation.content_types:
                    errors = self.spec.validate(operation, content_type, body)
                    if errors is not None:
                        raise DiscordError(400, 50035, "Invalid Form Body", errors)
                status, response = await HANDLERS[operation.operation_id](self, record)
        except DiscordError as error:
            status, response = error.status, error.body()
            logger.info("fake Discord refused %s %s: %s", request.method, path, response)
        record.status, record.response = status, response
        self._notify()
        return json_response(status, response, headers)

    def rate_limit_next(self, operation_id: str, retry_after: float = 0.05) -> None:
        """Answer the next request to this operation (e.g. ``"create_message"``) with one 429."""
        if not any(op.operation_id == operation_id for op in self.spec.operations):
            raise ValueError(f"unknown operationId {operation_id!r}")
        self._rate_limits.append((operation_id, retry_after))

    def _take_rate_limit(self, operation_id: str) -> float | None:
        for index, (pending, retry_after) in enumerate(self._rate_limits):
            if pending == operation_id:
                del self._rate_limits[index]
                return retry_after
        return None

    # -- state shared with handlers ------------------------------------------------------------

    async def publish(self, message: StoredMessage) -> None:
        """Store a new message; like Discord, echo MESSAGE_CREATE for non-ephemeral ones."""
        self.messages[message.id] = message
        if not message.ephemeral and self.gateway.serving(self.world.channel_guild(message.channel_id)):
            payload = message_create_payload(message, self.world, self.gateway.intents)
            if payload is not None:
                await self.gateway.dispatch("MESSAGE_CREATE", payload)

    # -- what tests read -------------------------------------------------------------------------

    def commands(self, guild: FakeGuild | None = None) -> list[dict[str, Any]]:
        """Commands the bot registered globally (or for ``guild``) with PUT .../commands."""
        return self.registered_commands.get(None if guild is None else guild.id, [])

    def channel_messages(self, channel: FakeChannel) -> list[StoredMessage]:
        """Messages everyone sees in the channel, oldest first (no ephemeral or deleted ones)."""
        found = [m for m in self.messages.values() if m.channel_id == channel.id]
        return sorted((m for m in found if not m.ephemeral and not m.deleted), key=lambda m: m.id)

    @property
    def errors(self) -> list[RecordedRequest]:
        """Requests the fake refused, except injected 429s."""
        return [r for r in self.requests if r.status >= 400 and r.status != 429]

    @property
    def violations(self) -> list[RecordedRequest]:
        """Requests refused with 50035 Invalid Form Body."""
        return [r for r in self.requests if r.error_code == 50035]

    def assert_clean(self) -> None:
        """Fail if the bot sent anything Discord would refuse or the fake does not implement."""
        problems = [f"{r.method} {r.path} -> {r.status} {r.response}" for r in self.errors]
        assert not problems, "fake Discord refused requests:\n" + "\n".join(problems)

    # -- what tests inject -----------------------------------------------------------------------

    def _where(
        self, guild: FakeGuild | None, channel: FakeChannel | None, user: FakeUser | None
    ) -> tuple[FakeChannel, FakeUser]:
        if channel is None:
            channel = (guild or self.guild_a).channels[0]
        elif guild is not None and channel.guild_id != guild.id:
            raise ValueError(f"channel {channel.name} is not in {guild.name}")
        return channel, user or self.member_user

    async def _interact(
        self,
        interaction_type: int,
        data: dict[str, Any],
        channel: FakeChannel,
        user: FakeUser,
        message: StoredMessage | None = None,
        shard: int | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        interaction_id, token = self.snowflake(), secrets.token_urlsafe(32)
        payload = interaction_payload(
            world=self.world,
            interaction_id=interaction_id,
            token=token,
            interaction_type=interaction_type,
            data=data,
            channel=channel,
            user=user,
            message=message,
            locale=locale,
        )
        record = InteractionRecord(
            id=interaction_id,
            token=token,
            type=interaction_type,
            payload=payload,
            sent_at=asyncio.get_running_loop().time(),
            waiter=self.wait_for,
        )
        self.interactions[interaction_id] = record
        await self.gateway.dispatch("INTERACTION_CREATE", payload, shard=shard)
        return record

    def _registered(self, name: str, channel: FakeChannel, command_type: int = 1) -> dict[str, Any] | None:
        """Guild commands shadow global ones, as in the Discord client."""
        candidates = self.registered_commands.get(channel.guild_id, []) + self.registered_commands.get(None, [])
        return next((c for c in candidates if c["name"] == name and c["type"] == command_type), None)

    async def send_command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        shard: int | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user runs ``/name`` (``"group sub"`` for subcommands); options are checked against
        the registered command when the bot has synced one. User and channel options take a
        FakeUser / FakeChannel and arrive with their ``resolved`` data. ``shard`` delivers it to that
        shard's connection instead of the guild's own (as when guilds move after resharding);
        ``locale``: the user's client."""
        channel, user = self._where(guild, channel, user)
        command = self._registered(name.split()[0], channel)
        data = command_data(command, name, options or {}, fallback_id=self.snowflake())
        return await self._interact(INTERACTION_COMMAND, data, channel, user, shard=shard, locale=locale)

    async def send_autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """A user types into option ``focused``; read the bot's suggestions from ``.choices``."""
        channel, user = self._where(guild, channel, user)
        command = self._registered(name.split()[0], channel)
        data = command_data(command, name, options, fallback_id=self.snowflake(), focused=focused)
        return await self._interact(INTERACTION_AUTOCOMPLETE, data, channel, user)

    async def click(
        self,
        target: StoredMessage | InteractionRecord,
        custom_id: str,
        *,
        user: FakeUser | None = None,
        values: list[str] | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user clicks a button (or picks ``values`` in a select) on a message the bot sent."""
        candidates = [target] if isinstance(target, StoredMessage) else list(reversed(target.messages))
        message = next((m for m in candidates if m.find_component(custom_id)), None)
        if message is None:
            offered = [m.custom_ids() for m in candidates]
            raise LookupError(f"no component {custom_id!r}; the messages offer {offered}")
        component = message.find_component(custom_id) or {}
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; Discord would not let a user click it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        channel = self.world.channel(message.channel_id)
        assert channel is not None
        return await self._interact(
            INTERACTION_COMPONENT, data, channel, user or self.member_user, message, locale=locale
        )

    async def send_message(
        self,
        content: str,
        *,
        author: FakeUser | None = None,
        channel: FakeChannel | None = None,
        mentions_bot: bool = False,
        reply_to: StoredMessage | None = None,
        files: list[UploadedFile] | None = None,
    ) -> StoredMessage:
        """A user posts a message (``files`` become its attachments); without the content intent the bot
        sees its text only when it mentions the bot (``mentions_bot`` prepends the mention) or replies to it."""
        channel = channel or self.channel_a1
        author = author or self.member_user
        if mentions_bot and self.bot_user.mention not in content:
            content = f"{self.bot_user.mention} {content}"
        message = build_message(
            message_id=self.snowflake(),
            world=self.world,
            channel=channel,
            author=author,
            body={"content": content},
            files=files or [],
            attachments=attachments_for({}, files or [], channel.id, self.snowflake),
            referenced=reply_to,
        )
        mentioned = {user["id"] for user in message.payload["mentions"]}
        if reply_to is not None and reply_to.author_id == self.bot_user.id and str(self.bot_user.id) not in mentioned:
            # A reply pings its author by default, which is what makes the content visible to a bot.
            bot_mention = self.bot_user.payload()
            guild = self.world.guild(channel.guild_id)
            if guild is not None:
                bot_mention["member"] = guild.member_payload(self.bot_user, with_user=False)
            message.payload["mentions"].append(bot_mention)
        if not self.gateway.ready:
            raise RuntimeError("cannot send a message: no discord client is connected to the fake gateway")
        await self.publish(message)
        return message

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and ``user``; pass it as ``channel=``."""
        return self.world.dm_channel(user)
