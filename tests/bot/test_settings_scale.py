"""The database and sharding settings: URLs and shard ids are checked when the settings are read."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.discord.app import CorpusBot, ShardedCorpusBot, make_bot
from bot.settings import Settings
from bot.store.backends import describe, sqlite_path


def test_the_default_database_is_the_sqlite_file(isolated_settings: Path) -> None:
    settings = Settings()
    assert settings.database == f"sqlite:///{isolated_settings}"
    assert sqlite_path(settings.database) == isolated_settings


def test_a_database_url_wins_and_a_blank_one_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORPUSBOT_DATABASE_URL", "postgresql://bot:secret@db.example/corpusbot")
    assert Settings().database == "postgresql://bot:secret@db.example/corpusbot"
    assert describe(Settings().database) == "postgresql://bot:***@db.example/corpusbot"
    monkeypatch.setenv("CORPUSBOT_DATABASE_URL", " ")
    assert Settings().database.startswith("sqlite:///")


def test_sqlite_urls_are_relative_with_three_slashes_and_absolute_with_four() -> None:
    assert sqlite_path("sqlite:///data/log.sqlite3") == Path("data/log.sqlite3")
    assert sqlite_path("sqlite:////var/lib/corpusbot/log.sqlite3") == Path("/var/lib/corpusbot/log.sqlite3")
    with pytest.raises(ValueError, match="unsupported"):
        sqlite_path("mysql://x/y")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CORPUSBOT_DATABASE_URL": "mysql://x/y"}, "database_url"),
        ({"CORPUSBOT_SHARD_IDS": "0"}, "needs shard_count"),
        ({"CORPUSBOT_SHARD_COUNT": "2", "CORPUSBOT_SHARD_IDS": "0,2"}, r"0\.\.1"),
        ({"CORPUSBOT_SHARD_COUNT": "0"}, "greater than or equal to 1"),
        ({"CORPUSBOT_SHARD_COUNT": "2", "CORPUSBOT_SHARD_IDS": "1"}, "several processes: set database_url"),
    ],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        Settings()


def test_shard_settings_choose_the_auto_sharded_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    assert type(make_bot(Settings())) is CorpusBot
    monkeypatch.setenv("CORPUSBOT_SHARD_COUNT", "3")
    every = make_bot(Settings())
    assert isinstance(every, ShardedCorpusBot) and (every.shard_count, every.shard_ids) == (3, None)
    monkeypatch.setenv("CORPUSBOT_SHARD_IDS", "1, 2")
    monkeypatch.setenv("CORPUSBOT_DATABASE_URL", "postgresql://bot@db/corpusbot")
    some = make_bot(Settings())
    assert (some.shard_count, some.shard_ids) == (3, [1, 2])
