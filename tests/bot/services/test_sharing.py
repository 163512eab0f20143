"""Processes sharing one PostgreSQL: a change made through one service applies in the other within a second."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.records import ChannelConfig
from bot.services.corpus import CorpusService
from bot.settings import Settings
from tests.bot.services.test_service import change_corpus
from tests.conftest import SEEDS
from tests.postgres import TemporaryCluster

GUILD, CHANNEL = 81_000_000_000_000_001, 81_000_000_000_000_002
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
async def two_processes(postgres_url: str, corpus_dir: Path) -> AsyncIterator[tuple[CorpusService, CorpusService]]:
    """Two services as two shard processes would have them: same database, separate caches."""
    settings = Settings(database_url=postgres_url, corpus_dir=corpus_dir)
    first, second = await asyncio.gather(CorpusService.start(settings), CorpusService.start(settings))
    yield first, second
    await asyncio.gather(first.close(), second.close())


async def test_channel_settings_changed_in_one_process_hold_in_the_other(
    two_processes: tuple[CorpusService, CorpusService],
) -> None:
    first, second = two_processes
    assert (await second.channel_config(GUILD, CHANNEL)).enabled  # now cached as the default in the second
    off = ChannelConfig(GUILD, CHANNEL, enabled=False, log_questions=False, private_by_default=True)
    await first.set_channel_config(off)
    await within(lambda: second._configs.get((GUILD, CHANNEL)) == off)
    assert await second.channel_config(GUILD, CHANNEL) == off


async def test_a_cooldown_started_in_one_process_starts_in_the_other(
    two_processes: tuple[CorpusService, CorpusService],
) -> None:
    first, second = two_processes
    heard_by_second: list[int] = []
    heard_by_first: list[int] = []
    second.on_cooldown_elsewhere(heard_by_second.append)
    first.on_cooldown_elsewhere(heard_by_first.append)
    first.cooldown_started(42)
    await within(lambda: heard_by_second == [42])
    await asyncio.sleep(0.1)
    assert heard_by_first == []  # a process ignores its own announcements


async def test_a_reload_in_one_process_reloads_the_other(
    two_processes: tuple[CorpusService, CorpusService],
    corpus_dir: Path,
) -> None:
    first, second = two_processes
    before = second.engine.version
    change_corpus(corpus_dir)
    old, new = await first.reload()
    assert old == before != new
    await within(lambda: second.engine.version == new, seconds=10)  # includes indexing the corpus


async def test_a_lost_listen_connection_drops_the_cache(
    two_processes: tuple[CorpusService, CorpusService], postgres_cluster: TemporaryCluster
) -> None:
    """Announcements sent while a process was not listening are lost: it must re-read, not trust its cache."""
    _, second = two_processes
    await second.channel_config(GUILD, CHANNEL)
    assert second._configs
    postgres_cluster.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
    )
    await within(lambda: not second._configs, seconds=5)
