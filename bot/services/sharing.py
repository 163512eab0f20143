"""What bot processes sharing one PostgreSQL tell each other: channel settings, cooldowns, reloads.

Channel settings are cached and cooldown clocks kept in memory because both sit before Discord's
3-second acknowledgement. When several processes (shards) share the database, a change made in one is
announced with NOTIFY and applied by the others as soon as it arrives (milliseconds on one network).
A process ignores its own announcements. If the listening connection drops, notifications may have been
missed, so the caches are dropped and re-read. With SQLite there is one process and nothing to tell.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from bot.records import ChannelConfig
from bot.services.channels import ChannelSettings
from bot.services.corpus import CorpusService
from bot.services.policy import Cooldowns
from bot.store import Database
from bot.store.backends.postgres import PostgresConnection

logger = logging.getLogger(__name__)

CHANNELS = "corpusbot_channel_config"
COOLDOWNS = "corpusbot_cooldown"
RELOADS = "corpusbot_reload"

Handler = Callable[[dict[str, Any]], None]


def message(origin: str, data: dict[str, Any]) -> str:
    """The NOTIFY payload: who sent it (so the sender can skip it) and what changed."""
    return json.dumps({"origin": origin, "data": data}, separators=(",", ":"))


class Broadcast:
    """Publish and subscribe over the database connection when it is shared; otherwise do nothing."""

    def __init__(self, connection: object | None) -> None:
        self.origin = uuid.uuid4().hex
        self._connection = connection if isinstance(connection, PostgresConnection) else None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def shared(self) -> bool:
        """Whether other processes may be listening (PostgreSQL)."""
        return self._connection is not None

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call ``handler(data)`` for every announcement on ``topic`` from another process."""
        if self._connection is None:
            return

        def receive(payload: str) -> None:
            try:
                parsed = json.loads(payload)
            except ValueError:
                logger.warning("ignored a malformed %s notification: %.80r", topic, payload)
                return
            if parsed.get("origin") != self.origin:
                handler(parsed.get("data") or {})

        self._connection.listen(topic, receive)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Called when announcements may have been missed (the listening connection was lost)."""
        if self._connection is not None:
            self._connection.on_reconnect(callback)

    async def connect(self, *, channels: ChannelSettings, cooldowns: Cooldowns, corpus: CorpusService) -> None:
        """Wire one process's caches to the others': announce its changes, apply theirs.

        Returns once this process hears announcements, so nothing announced afterwards is missed.
        """
        if self._connection is None:
            return
        self.subscribe(CHANNELS, lambda data: channels.remember(ChannelConfig(**data)))
        self.subscribe(COOLDOWNS, lambda data: cooldowns.restart(int(data["user_id"])))
        self.subscribe(RELOADS, lambda _data: corpus.reload_soon("another process asked"))
        self.on_reconnect(channels.forget)
        channels.on_change = lambda config: self.publish(CHANNELS, asdict(config))
        cooldowns.on_start = lambda user_id: self.publish_soon(COOLDOWNS, {"user_id": user_id})
        corpus.on_reloaded = lambda version: self.publish_soon(RELOADS, {"version": version})
        try:
            await self.ready()
        except TimeoutError:
            logger.error("cannot LISTEN for other processes' changes yet; retrying in the background")

    async def ready(self) -> None:
        """Wait until this process hears announcements (no-op without PostgreSQL)."""
        if self._connection is not None and self._connection.subscribed:
            await self._connection.listening()

    async def publish(self, topic: str, data: dict[str, Any]) -> None:
        """Announce and wait until the database has taken the announcement."""
        if self._connection is not None:
            await self._connection.notify(topic, message(self.origin, data))

    def publish_soon(self, topic: str, data: dict[str, Any]) -> None:
        """Announce without waiting (for paths that must not wait on the database); failures are logged."""
        if self._connection is None:
            return
        task = asyncio.get_running_loop().create_task(self._publish_logged(topic, data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _publish_logged(self, topic: str, data: dict[str, Any]) -> None:
        try:
            await self.publish(topic, data)
        except Exception:
            logger.warning("could not announce %s to the other processes", topic, exc_info=True)


async def announce_reload(target: str, version: str) -> None:
    """`corpusbot reload` on a shared database: every bot process listening on it reloads (any machine)."""
    async with await Database.open(target) as database:
        await Broadcast(database.connection).publish(RELOADS, {"version": version})
