"""Every test runs with its own settings: no real .env, no writes outside tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.engine import Engine

pytest_plugins = ["tests.fakediscord.plugin"]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Clear CORPUSBOT_* variables, run from tmp_path (so no .env is read) and log to a tmp database."""
    for name in list(os.environ):
        if name.startswith("CORPUSBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "data" / "corpusbot.sqlite3"
    monkeypatch.setenv("CORPUSBOT_DATABASE_PATH", str(database))
    return database


@pytest.fixture(scope="session")
def seed_engine() -> Engine:
    """The bundled corpus, indexed once for the whole session (engines are immutable)."""
    return Engine.load(SEEDS, label="seeds")
