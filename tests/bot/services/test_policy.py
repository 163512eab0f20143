"""Reply policy without Discord: the channel switch, cooldowns, who sees an answer, who may press, who is staff."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.records import ChannelConfig
from bot.services.channels import ChannelSettings
from bot.services.policy import AnswerCache, Cooldowns, OwnerCheck, ReplyPolicy, may_press
from bot.settings import Settings
from bot.store import Database
from retrieval.engine import Engine


@pytest.fixture
async def channels(tmp_path: Path) -> AsyncIterator[ChannelSettings]:
    database = await Database.open(tmp_path / "db.sqlite3")
    yield ChannelSettings(database)
    await database.close()


async def test_visibility_is_the_askers_choice_then_the_channels_then_the_servers(channels: ChannelSettings) -> None:
    policy = ReplyPolicy(Settings(cooldown_seconds=0, private_by_default=True), channels)
    assert (await policy.admit(1, 2, 3)).private  # the global default
    await channels.set(ChannelConfig(1, 2, private_by_default=False))
    assert not (await policy.admit(1, 2, 3)).private  # the channel's
    assert (await policy.admit(1, 2, 3, chosen=True)).private  # the asker's
    assert (await policy.admit(None, 9, 3)).private  # DMs: no channel settings, the global default


async def test_a_disabled_channel_refuses_before_the_cooldown_counts(channels: ChannelSettings) -> None:
    policy = ReplyPolicy(Settings(cooldown_seconds=60), channels)
    await channels.set(ChannelConfig(1, 2, enabled=False))
    assert (await policy.admit(1, 2, 3)).refusal == "disabled"
    assert (await policy.admit(1, 4, 3)).refusal is None  # the refusal did not start the asker's clock
    refused = await policy.admit(1, 4, 3)
    assert refused.refusal == "cooldown" and 59 < refused.wait <= 60
    assert (await policy.admit(1, 4, 5)).refusal is None  # cooldowns are per user


def test_cooldowns_forget_idle_users() -> None:
    cooldowns = Cooldowns(0.0)
    for user in range(10_001):
        assert cooldowns.remaining(user) == 0.0
    assert len(cooldowns._last) <= 1


def test_answer_cache_keeps_the_most_recent(seed_engine: Engine) -> None:
    cache = AnswerCache(size=2)
    answer = seed_engine.ask("Who is Ricardo Vaz?")
    for answer_id in ("a", "b", "c"):
        cache.put(answer_id, answer)
    assert cache.get("a") is None and cache.get("c") is answer


def test_only_the_owner_may_press() -> None:
    assert may_press(1, 1) and not may_press(1, 2)


def owner_check(result: bool, asked: list[int], user: int) -> OwnerCheck:
    """An application-owner lookup that records that it was made (it costs a Discord call)."""

    async def check() -> bool:
        asked.append(user)
        return result

    return check


async def test_admins_come_from_the_ids_before_asking_discord(channels: ChannelSettings) -> None:
    policy = ReplyPolicy(Settings(admin_ids=[7]), channels)
    asked: list[int] = []
    assert await policy.is_admin(7, owner_check(False, asked, 7)) and asked == []
    assert await policy.is_admin(8, owner_check(True, asked, 8)) and asked == [8]
    assert not await policy.is_admin(9, owner_check(False, asked, 9))


@pytest.mark.parametrize(
    ("user", "in_guild", "manage_messages", "role_ids", "expected"),
    [
        (9, True, True, [], True),  # Manage Messages
        (9, True, False, [50], True),  # the moderator role
        (9, True, False, [51], False),  # another role
        (7, True, False, [], True),  # a bot admin
        (9, False, True, [50], False),  # never in DMs
    ],
)
async def test_moderators(
    channels: ChannelSettings, user: int, in_guild: bool, manage_messages: bool, role_ids: list[int], expected: bool
) -> None:
    policy = ReplyPolicy(Settings(admin_ids=[7], moderator_role_id=50), channels)
    decided = await policy.is_moderator(
        user,
        in_guild=in_guild,
        manage_messages=manage_messages,
        role_ids=role_ids,
        owns_application=owner_check(False, [], user),
    )
    assert decided is expected
