"""Processes sharing one PostgreSQL: a change made through one process's services applies in the other's
within a second (channel settings, cooldowns, reloads), and a lost LISTEN connection drops the cache."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.records import ChannelConfig
from bot.services.container import Services
from bot.settings import Settings
from tests.conftest import SEEDS
from tests.postgres import TemporaryCluster

GUILD, CHANNEL, USER = 81_000_000_000_000_001, 81_000_000_000_000_002, 81_000_000_000_000_003
COHERENT_WITHIN = 1.0  # seconds: the promise for shards


async def within(predicate: Callable[[], bool], seconds: float = COHERENT_WITHIN) -> float:
    """How long ``predicate`` took to hold; fails past ``seconds``."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not coherent within {seconds} s")
        await asyncio.sleep(0.005)
    return time.monotonic() - started


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.fixture
async def two_processes(postgres_url: str, corpus_dir: Path) -> AsyncIterator[tuple[Services, Services]]:
    """The services of two shard processes: same database, separate caches and cooldown clocks."""
    settings = Settings(database_url=postgres_url, corpus_dir=corpus_dir, cooldown_seconds=30)
    first, second = await asyncio.gather(Services.start(settings), Services.start(settings))
    yield first, second
    await asyncio.gather(first.close(), second.close())


async def test_channel_settings_changed_in_one_process_hold_in_the_other(
    two_processes: tuple[Services, Services],
) -> None:
    first, second = two_processes
    assert (await second.policy.admit(GUILD, CHANNEL, USER)).refusal is None  # caches the default: enabled
    off = ChannelConfig(GUILD, CHANNEL, enabled=False, log_questions=False, private_by_default=True)
    await first.moderation.configure(GUILD, CHANNEL, enabled=False, log_questions=False, answers="private")
    await within(lambda: second.channels._cache.get((GUILD, CHANNEL)) == off)
    assert (await second.policy.admit(GUILD, CHANNEL, USER + 1)).refusal == "disabled"


async def test_a_cooldown_started_in_one_process_holds_in_the_other(two_processes: tuple[Services, Services]) -> None:
    first, second = two_processes
    assert (await first.policy.admit(GUILD, CHANNEL, USER)).refusal is None
    await within(lambda: USER in second.policy.cooldowns._last)
    refused = await second.policy.admit(GUILD, CHANNEL, USER)
    assert refused.refusal == "cooldown" and 29 < refused.wait <= 30
    assert (await second.policy.admit(GUILD, CHANNEL, USER + 1)).refusal is None  # other users are free


async def test_a_reload_in_one_process_reloads_the_other(
    two_processes: tuple[Services, Services], corpus_dir: Path
) -> None:
    first, second = two_processes
    before = second.corpus.version
    (corpus_dir / "extra.txt").write_text("Port Of Nowhere\n\nThe port of Nowhere was rebuilt in 2024.\n")
    reloaded = await first.corpus.reload()
    assert reloaded.old == before != reloaded.new
    await within(lambda: second.corpus.version == reloaded.new, seconds=10)  # includes indexing the corpus


async def test_a_lost_listen_connection_drops_the_cache(
    two_processes: tuple[Services, Services], postgres_cluster: TemporaryCluster
) -> None:
    """Announcements sent while a process was not listening are lost: it must re-read, not trust its cache."""
    _, second = two_processes
    await second.channels.get(GUILD, CHANNEL)
    assert second.channels._cache
    postgres_cluster.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
    )
    await within(lambda: not second.channels._cache, seconds=5)
