"""Every test runs with its own settings: no real .env, no writes outside tmp_path."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.engine import Engine

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
