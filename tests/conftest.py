"""Every test runs with its own settings: no real .env, no writes outside tmp_path."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from retrieval.engine import Engine
from tests.postgres import TemporaryCluster

pytest_plugins = ["tests.fakediscord.plugin"]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Clear CORPUSBOT_* variables, run from tmp_path (so no .env is read), log to a tmp database and
    keep the saved index in tmp_path."""
    for name in list(os.environ):
        if name.startswith("CORPUSBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "data" / "corpusbot.sqlite3"
    monkeypatch.setenv("CORPUSBOT_DATABASE_PATH", str(database))
    monkeypatch.setenv("CORPUSBOT_CACHE_DIR", str(tmp_path / "cache"))
    return database


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """configure_logging (and so ``bot.cli.main.main``) replaces the root handlers; put pytest's back."""
    root, chatty = logging.getLogger(), logging.getLogger("discord")
    handlers, level, discord_level = root.handlers[:], root.level, chatty.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    chatty.setLevel(discord_level)


@pytest.fixture(scope="session")
def seed_engine() -> Engine:
    """The bundled corpus, indexed once for the whole session (engines are immutable)."""
    return Engine.load(SEEDS, label="seeds")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[TemporaryCluster]:
    """One throwaway PostgreSQL server for the session, started only if a test asks for it."""
    cluster = TemporaryCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: TemporaryCluster) -> str:
    """An empty database of the test's own on the session's server."""
    return postgres_cluster.new_database()


async def eventually(predicate: Callable[[], bool | Awaitable[bool]], timeout: float = 5.0) -> None:
    """Poll ``predicate`` (plain or async) until it holds; for work the bot does on its own (reloads, purges)."""
    deadline = time.monotonic() + timeout
    while True:
        held = predicate()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.01)
