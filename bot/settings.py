"""One typed settings class for every interface: Discord, terminal, deploy files.

Values come from `CORPUSBOT_*` environment variables or a `.env` file in the working directory.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def bundled_corpus_dir() -> Path:
    """The seed corpus shipped inside the package, so an installed bot works with no setup."""
    return Path(str(files("seeds")))


def default_database_path() -> Path:
    """Follow the XDG convention: the log is data that belongs to the user, not to the checkout."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corpusbot" / "corpusbot.sqlite3"


def default_cache_dir() -> Path:
    """Follow the XDG convention: the saved index can be rebuilt at any time, so it is cache, not data."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corpusbot"


IdList = Annotated[list[int], NoDecode]
DATABASE_SCHEMES = ("sqlite:///", "postgresql://", "postgres://")


class Settings(BaseSettings):
    """Everything an operator can set. See the README's settings table for the meaning of each."""

    model_config = SettingsConfigDict(env_prefix="CORPUSBOT_", env_file=".env", extra="ignore")

    discord_token: SecretStr | None = None
    corpus_dir: Path = Field(default_factory=bundled_corpus_dir)
    database_path: Path = Field(default_factory=default_database_path)
    database_url: str | None = None
    cache_dir: Path = Field(default_factory=default_cache_dir)
    source_base_url: str | None = None
    guild_ids: IdList = Field(default_factory=list)
    admin_ids: IdList = Field(default_factory=list)
    moderator_role_id: int | None = None
    cooldown_seconds: float = Field(default=3.0, ge=0)
    private_by_default: bool = False
    log_retention_days: int = Field(default=90, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    watch_corpus: bool = False
    answers_in_flight: int = Field(default=4, ge=1)
    answer_queue: int = Field(default=2000, ge=0)
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: IdList = Field(default_factory=list)

    @field_validator("guild_ids", "admin_ids", "shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept `1,2,3` (the natural way to write a list in an env file) as well as a list."""
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator(
        "source_base_url", "discord_token", "moderator_role_id", "database_url", "shard_count", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        """Fail at start-up, not at the first write, on a URL no backend can open."""
        if value is not None and not value.startswith(DATABASE_SCHEMES):
            raise ValueError(f"database_url must start with one of {', '.join(DATABASE_SCHEMES)}")
        return value

    @model_validator(mode="after")
    def _shards_within_count(self) -> Settings:
        if self.shard_ids and self.shard_count is None:
            raise ValueError("shard_ids needs shard_count (the total number of shards across every process)")
        if self.shard_count is not None and any(not 0 <= i < self.shard_count for i in self.shard_ids):
            raise ValueError(f"shard_ids must lie in 0..{self.shard_count - 1}")
        some_shards = self.shard_count is not None and self.shard_ids and len(set(self.shard_ids)) < self.shard_count
        if some_shards and not (self.database_url or "").startswith(DATABASE_SCHEMES[1:]):
            # Other processes run the other shards: they must share channel settings, cooldowns and reloads.
            raise ValueError("running only some shards means several processes: set database_url to PostgreSQL")
        return self

    @property
    def database(self) -> str:
        """The database to use: ``database_url`` when set, else the SQLite file at ``database_path``."""
        return self.database_url or f"sqlite:///{Path(self.database_path).absolute()}"
