"""The moderation and privacy services without Discord: filters, configuration, typed errors, erasure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.errors import BadFilter, StorageUnavailable
from bot.records import LogFilter
from bot.services.channels import ChannelSettings
from bot.services.moderation import ModerationService, database_status, guild_filter
from bot.services.privacy import PrivacyService
from bot.settings import Settings
from bot.store import Database
from tests.bot.conftest import GUILD_A, GUILD_B, EntryFactory


def test_a_guild_filter_checks_its_date_and_keeps_its_guild() -> None:
    flt = guild_filter(GUILD_A, since=" 2025-01-31 ", text="")
    assert (flt.guild_id, flt.since, flt.text) == (GUILD_A, "2025-01-31", None)
    with pytest.raises(BadFilter, match="“since” must be a date like 2025-01-31"):
        guild_filter(GUILD_A, since="yesterday")
    assert guild_filter(GUILD_A, since="  ").since is None


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "db.sqlite3")
    yield opened
    await opened.close()


async def test_moderation_reads_queued_rows_and_configures_one_channel(
    database: Database, make_entry: EntryFactory
) -> None:
    moderation = ModerationService(database, ChannelSettings(database))
    database.writer.record(make_entry(guild_id=GUILD_A))
    database.writer.record(make_entry(guild_id=GUILD_B))
    rows, total = await moderation.page(LogFilter(guild_id=GUILD_A))  # no flush needed by the caller
    assert [row.guild_id for row in rows] == [GUILD_A] and total == 1
    assert (await moderation.stats(LogFilter(guild_id=GUILD_A))).total == 1
    export = await moderation.export(LogFilter(guild_id=GUILD_A), "jsonl")
    assert export.rows_included == 1 and not export.truncated

    shown = await moderation.configure(GUILD_A, 10)
    assert not shown.changed and shown.config.enabled and shown.configured == []
    changed = await moderation.configure(GUILD_A, 10, enabled=False, answers="private")
    assert changed.changed and not changed.config.enabled and changed.config.private_by_default is True
    back = await moderation.configure(GUILD_A, 10, answers="server default")
    assert back.config.private_by_default is None and back.configured == [back.config]
    deleted, before = await moderation.purge_before("2100-01-01")
    assert deleted == 2 and before.isoformat() == "2100-01-01T00:00:00+00:00"
    with pytest.raises(BadFilter):
        await moderation.purge_before("soon")


async def test_without_a_database_the_services_say_so() -> None:
    moderation = ModerationService(None, ChannelSettings(None))
    privacy = PrivacyService(Settings(), None)
    assert not moderation.available and not privacy.available
    with pytest.raises(StorageUnavailable):
        await moderation.page(LogFilter(guild_id=GUILD_A))
    with pytest.raises(StorageUnavailable):
        await privacy.forget(7)
    assert await privacy.purge_expired() == 0


async def test_an_unusable_database_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = Settings(database_path=blocker / "db.sqlite3")
    with pytest.raises(StorageUnavailable, match="cannot open the database"):
        async with ModerationService.opened(settings):
            pass
    assert (await database_status(settings)).startswith("PROBLEM:")


async def test_privacy_counts_then_forgets_queued_questions(database: Database, make_entry: EntryFactory) -> None:
    moderation = ModerationService(database, ChannelSettings(database))
    privacy = PrivacyService(Settings(), database)
    database.writer.record(make_entry(user_id=7))
    database.writer.record(make_entry(user_id=8))
    assert await privacy.stored_questions(7) == 1
    database.writer.record(make_entry(user_id=7))  # still queued when the erasure starts
    assert await privacy.forget(7) == 2
    assert await moderation.count() == 1
