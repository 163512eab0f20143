"""One typed settings class for every interface: Discord, terminal, deploy files.

Values come from `CORPUSBOT_*` environment variables or a `.env` file in the working directory.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
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


class Settings(BaseSettings):
    """Everything an operator can set. See the README's settings table for the meaning of each."""

    model_config = SettingsConfigDict(env_prefix="CORPUSBOT_", env_file=".env", extra="ignore")

    discord_token: SecretStr | None = None
    corpus_dir: Path = Field(default_factory=bundled_corpus_dir)
    database_path: Path = Field(default_factory=default_database_path)
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

    @field_validator("guild_ids", "admin_ids", mode="before")
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

    @field_validator("source_base_url", "discord_token", "moderator_role_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
