"""The gateway websocket: HELLO, heartbeat ACKs, IDENTIFY → READY + GUILD_CREATE, then injected events.

Several connections may be open at once, one per shard: like Discord, a guild's events go only to the
connection whose IDENTIFY named shard ``(guild_id >> 22) % shard_count``, and direct messages to shard 0.

discord.py 2.7.1 connects with ``?v=10&encoding=json&compress=zlib-stream`` when the zstandard
module is absent (as here), so frames are one shared zlib stream, each flushed with Z_SYNC_FLUSH.
"""

from __future__ import annotations

import json
import logging
import secrets
import zlib
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakediscord.world import World

logger = logging.getLogger(__name__)

OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_HELLO, OP_HEARTBEAT_ACK = 0, 1, 2, 10, 11
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_DECODE_ERROR = 4002
HEARTBEAT_INTERVAL_MS = 41_250


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's routing rule: the shard that receives a guild's events."""
    return (guild_id >> 22) % shard_count


class GatewaySession:
    """One connected client: encodes (and compresses) frames and numbers dispatches."""

    def __init__(self, ws: web.WebSocketResponse, compression: str | None) -> None:
        self.ws = ws
        self.sequence = 0
        self.identify: dict[str, Any] | None = None
        self.shard: tuple[int, int] = (0, 1)  # (shard id, shard count) from IDENTIFY
        self._zlib = zlib.compressobj() if compression == "zlib-stream" else None

    def serves(self, guild_id: int | None) -> bool:
        """Whether this connection receives the guild's events (``None``: a DM, which goes to shard 0)."""
        shard_id, count = self.shard
        return shard_id == 0 if guild_id is None else shard_of(guild_id, count) == shard_id

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if self._zlib is None:
            await self.ws.send_str(text)
        else:
            data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.send({"op": OP_DISPATCH, "t": event, "s": self.sequence, "d": data})


class Gateway:
    """Accepts gateway connections and fans injected events out to identified sessions."""

    def __init__(self, world: World, token: str, notify: Callable[[], None]) -> None:
        self._world = world
        self._token = token
        self._notify = notify
        self.sessions: list[GatewaySession] = []
        self.identified: list[dict[str, Any]] = []

    @property
    def ready(self) -> bool:
        return any(session.identify is not None for session in self.sessions)

    def serving(self, guild_id: int | None) -> bool:
        """Whether a connected client receives this guild's (or, for None, direct messages') events."""
        return any(s.identify is not None and s.serves(guild_id) for s in self.sessions)

    @property
    def ready_shards(self) -> set[int]:
        """Shard ids with an identified connection."""
        return {session.shard[0] for session in self.sessions if session.identify is not None}

    @property
    def intents(self) -> int:
        """Intents of the most recent IDENTIFY (decides which events and contents are delivered)."""
        return int(self.identified[-1].get("intents", 0)) if self.identified else 0

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=CLOSE_DECODE_ERROR, message=b"only encoding=json is supported")
            return ws
        compression = request.query.get("compress")
        if compression not in (None, "zlib-stream"):
            await ws.close(code=CLOSE_DECODE_ERROR, message=f"unsupported compress={compression}".encode())
            return ws
        session = GatewaySession(ws, compression)
        self.sessions.append(session)
        resume_url = str(request.url.with_scheme("ws").with_query(None))
        try:
            await session.send({"op": OP_HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                await self._on_frame(session, json.loads(message.data), resume_url)
        finally:
            self.sessions.remove(session)
            self._notify()
        return ws

    async def _on_frame(self, session: GatewaySession, frame: dict[str, Any], resume_url: str) -> None:
        op = frame.get("op")
        if op == OP_HEARTBEAT:
            await session.send({"op": OP_HEARTBEAT_ACK})
        elif op == OP_IDENTIFY:
            data = frame.get("d") or {}
            if data.get("token") != self._token:
                await session.ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
                return
            shard = data.get("shard") or [0, 1]
            session.shard = (int(shard[0]), int(shard[1]))
            await self._send_ready(session, resume_url)
            session.identify = data
            self.identified.append(data)
            self._notify()
        else:
            logger.debug("fake gateway ignores op %s", op)

    async def _send_ready(self, session: GatewaySession, resume_url: str) -> None:
        world = self._world
        guilds = [guild for guild in world.guilds if session.serves(guild.id)]
        await session.dispatch(
            "READY",
            {
                "v": 10,
                "user": world.bot_user.payload(),
                "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
                "shard": list(session.shard),
                "session_id": secrets.token_hex(16),
                "resume_gateway_url": resume_url,
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "geo_ordered_rtc_regions": [],
            },
        )
        for guild in guilds:
            await session.dispatch("GUILD_CREATE", guild.create_payload())

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send one event to every identified client of the event's shard (or of ``shard``, as after a
        guild moved between shards); refuses when none is connected."""
        guild_id = data.get("guild_id")
        guild = None if guild_id is None else int(guild_id)
        targets = [
            s
            for s in self.sessions
            if s.identify is not None and (s.serves(guild) if shard is None else s.shard[0] == shard)
        ]
        if not targets:
            raise RuntimeError(f"cannot dispatch {event}: no client of its shard is connected")
        for session in targets:
            await session.dispatch(event, data)

    async def close(self) -> None:
        for session in list(self.sessions):
            await session.ws.close(code=1001, message=b"fake discord shutting down")
