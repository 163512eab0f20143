"""Threads and forum channels as Discord describes them: payloads of the channel objects.

Kept apart from `world` (which imports this module) so the thread and forum shapes live in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakediscord.world import FakeChannel

ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD = 10, 11, 12
THREAD_TYPES = (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD)
FORUM_CHANNEL = 15
AUTO_ARCHIVE_MINUTES = (60, 1440, 4320, 10080)
ARCHIVE_TIMESTAMP = "2024-01-01T00:00:00+00:00"


def thread_payload(thread: FakeChannel) -> dict[str, Any]:
    """A thread channel object (public thread in a text channel, or a forum post)."""
    assert thread.guild_id is not None and thread.parent_id is not None
    return {
        "id": str(thread.id),
        "type": thread.type,
        "guild_id": str(thread.guild_id),
        "parent_id": str(thread.parent_id),
        "owner_id": None if thread.owner_id is None else str(thread.owner_id),
        "name": thread.name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": ARCHIVE_TIMESTAMP,
            "locked": False,
            "create_timestamp": ARCHIVE_TIMESTAMP,
        },
    }


def forum_payload(forum: FakeChannel) -> dict[str, Any]:
    """A forum channel object: posts are threads whose starter message shares the thread's id."""
    assert forum.guild_id is not None
    return {
        "id": str(forum.id),
        "type": FORUM_CHANNEL,
        "guild_id": str(forum.guild_id),
        "name": forum.name,
        "position": forum.position,
        "permission_overwrites": [],
        "topic": None,
        "nsfw": False,
        "parent_id": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "default_thread_rate_limit_per_user": 0,
        "default_auto_archive_duration": 1440,
        "available_tags": [],
        "default_reaction_emoji": None,
        "default_sort_order": None,
        "default_forum_layout": 0,
        "flags": 0,
    }
