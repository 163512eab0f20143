"""The fixed little world the fake Discord serves: users, two guilds, roles, channels.

Everything is built from plain dataclasses so tests can refer to ids (``fake.guild_a.id``) and the
server can render the exact JSON payloads discord.py parses (GUILD_CREATE, members, users).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakediscord.threads import FORUM_CHANNEL, THREAD_TYPES, forum_payload, thread_payload

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)

TEXT_CHANNEL = 0
DM_CHANNEL = 1


class SnowflakeFactory:
    """Issues increasing snowflakes whose embedded timestamp is 'now', as Discord's do."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last = max(self._last + 1, now_ms << 22)
        return self._last

    def on_shard(self, shard_id: int, shard_count: int) -> int:
        """A later snowflake whose guild would be routed to ``shard_id`` (its millisecond picks the shard)."""
        stamp = (self() >> 22) + 1
        stamp += (shard_id - stamp) % shard_count
        self._last = stamp << 22
        return self._last


def iso_now() -> str:
    """Timestamp in the ISO form Discord uses for ``timestamp``/``joined_at``."""
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class FakeUser:
    """A Discord user; ``mention`` is what a human types to ping them."""

    id: int
    username: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.username.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeRole:
    id: int
    name: str
    permissions: int
    position: int

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeChannel:
    """A guild text channel, a DM channel when ``guild_id`` is None, a forum (type 15) or a thread
    (type 11, with ``parent_id`` and ``owner_id``; see `tests.fakediscord.threads`)."""

    id: int
    name: str
    guild_id: int | None
    type: int = TEXT_CHANNEL
    position: int = 0
    recipient: FakeUser | None = None
    parent_id: int | None = None
    owner_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    def payload(self) -> dict[str, Any]:
        if self.guild_id is None:
            recipients = [self.recipient.payload()] if self.recipient else []
            return {"id": str(self.id), "type": DM_CHANNEL, "last_message_id": None, "recipients": recipients}
        if self.is_thread:
            return thread_payload(self)
        if self.type == FORUM_CHANNEL:
            return forum_payload(self)
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "topic": None,
            "nsfw": False,
            "parent_id": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }


@dataclass
class FakeGuild:
    """A guild with its roles, channels and which users are members with which roles."""

    id: int
    name: str
    owner_id: int
    roles: list[FakeRole]
    channels: list[FakeChannel]
    member_roles: dict[int, list[int]] = field(default_factory=dict)
    users: dict[int, FakeUser] = field(default_factory=dict)
    threads: list[FakeChannel] = field(default_factory=list)  # active threads, sent in GUILD_CREATE
    locale: str = "en-US"  # the server's preferred locale

    def add_member(self, user: FakeUser, *roles: FakeRole) -> None:
        self.users[user.id] = user
        self.member_roles[user.id] = [role.id for role in roles]

    def permissions_for(self, user: FakeUser) -> int:
        """Guild-level permissions: @everyone (role id == guild id) OR'd with the member's roles."""
        wanted = {self.id, *self.member_roles[user.id]}
        value = 0
        for role in self.roles:
            if role.id in wanted:
                value |= role.permissions
        return value

    def member_payload(self, user: FakeUser, *, with_user: bool = True) -> dict[str, Any]:
        """A member object; messages carry it without ``user``, interactions with ``permissions``."""
        member: dict[str, Any] = {
            "roles": [str(role_id) for role_id in self.member_roles[user.id]],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if with_user:
            member["user"] = user.payload()
        return member

    def create_payload(self) -> dict[str, Any]:
        """GUILD_CREATE data; ``member_count == len(members)`` so discord.py never asks for chunks."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.locale,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [role.payload() for role in self.roles],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "member_count": len(self.users),
            "members": [self.member_payload(user) for user in self.users.values()],
            "channels": [channel.payload() for channel in self.channels],
            "threads": [thread.payload() for thread in self.threads],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


class World:
    """Users, two guilds (A and B) with two text channels each, and lazily created DM channels.

    Every user is a member of both guilds; ``mod_user`` holds a role with Manage Messages,
    ``member_user`` and ``owner_user`` (the application owner) do not. With ``shard_count`` > 1,
    guild A's id routes it to shard 0 and guild B's to shard 1.
    """

    def __init__(self, snowflake: SnowflakeFactory, *, owner_id: int | None = None, shard_count: int = 1) -> None:
        self._snowflake = snowflake
        self.application_id = snowflake()
        self.bot_user = FakeUser(self.application_id, "corpusbot-test", bot=True)
        self.owner_user = FakeUser(owner_id or snowflake(), "app-owner")
        self.mod_user = FakeUser(snowflake(), "moderator")
        self.member_user = FakeUser(snowflake(), "member")
        self.shard_count = shard_count
        self.guild_a = self._make_guild("Guild A", "a", 0)
        self.guild_b = self._make_guild("Guild B", "b", 1 % shard_count)
        self.channel_a1, self.channel_a2 = self.guild_a.channels
        self.channel_b1, self.channel_b2 = self.guild_b.channels
        self._dm_channels: dict[int, FakeChannel] = {}

    def _make_guild(self, name: str, suffix: str, shard_id: int) -> FakeGuild:
        guild_id = self._snowflake.on_shard(shard_id, self.shard_count)
        everyone = FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0)
        moderators = FakeRole(self._snowflake(), "Moderators", EVERYONE_PERMISSIONS | MANAGE_MESSAGES, 1)
        channels = [
            FakeChannel(self._snowflake(), f"{label}-{suffix}", guild_id, position=index)
            for index, label in enumerate(("general", "random"))
        ]
        # The guild owner implicitly has every permission, so it is a user outside the test cast.
        guild = FakeGuild(guild_id, name, self._snowflake(), [everyone, moderators], channels)
        guild.add_member(self.bot_user)
        guild.add_member(self.owner_user)
        guild.add_member(self.mod_user, moderators)
        guild.add_member(self.member_user)
        return guild

    @property
    def guilds(self) -> list[FakeGuild]:
        return [self.guild_a, self.guild_b]

    @property
    def users(self) -> list[FakeUser]:
        return [self.bot_user, self.owner_user, self.mod_user, self.member_user]

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and ``user`` (created on first use)."""
        if user.id not in self._dm_channels:
            self._dm_channels[user.id] = FakeChannel(
                self._snowflake(), f"dm-{user.username}", None, DM_CHANNEL, recipient=user
            )
        return self._dm_channels[user.id]

    def channel(self, channel_id: int) -> FakeChannel | None:
        candidates = [c for g in self.guilds for c in (*g.channels, *g.threads)] + list(self._dm_channels.values())
        return next((c for c in candidates if c.id == channel_id), None)

    def channel_guild(self, channel_id: int) -> int | None:
        """The guild id of a channel (None for DMs and unknown channels)."""
        channel = self.channel(channel_id)
        return None if channel is None else channel.guild_id

    def guild(self, guild_id: int | None) -> FakeGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def user(self, user_id: int) -> FakeUser | None:
        return next((u for u in self.users if u.id == user_id), None)

    def application_payload(self) -> dict[str, Any]:
        """GET /oauth2/applications/@me: the fields discord.py's AppInfo reads."""
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "description": "fake application",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner_user.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "interactions_endpoint_url": None,
            "bot": self.bot_user.payload(),
        }
