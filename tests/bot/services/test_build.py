"""Builds never hold the bot: new files are read in a worker process, and SIGTERM stops it in seconds."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from pathlib import Path

import psutil

from bot.services.build import WORKER_MIN_BYTES, pending_bytes
from bot.services.container import Services
from bot.settings import Settings
from retrieval.engine import Engine, new_file_cache
from retrieval.fill import fill_cache
from tests.fakediscord import running_fake_discord

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
TOKEN = "OTk5.Xy.build-test-token-never-logged"
STOP_LIMIT_SECONDS = 10


def big_folder(target: Path, files: int, size: int) -> Path:
    """Files of shuffled seed paragraphs: real sentences, so reading them takes real time."""
    paragraphs = [line for f in sorted(SEEDS.glob("*.txt")) for line in f.read_text().splitlines() if len(line) > 40]
    rng = random.Random(1)
    target.mkdir()
    for number in range(files):
        parts, length = [f"Report {number}"], 0
        while length < size:
            parts.append(rng.choice(paragraphs))
            length += len(parts[-1])
        (target / f"doc{number:03d}.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return target


def test_a_pool_of_readers_fills_the_cache_as_one_process_would(tmp_path: Path) -> None:
    folder = big_folder(tmp_path / "corpus", 4, 3000)
    assert fill_cache(folder, tmp_path / "pool", workers=2) == {"read": 4, "held": 0}
    assert fill_cache(folder, tmp_path / "pool", workers=2) == {"read": 0, "held": 4}
    pooled, alone = new_file_cache(tmp_path / "pool"), new_file_cache(tmp_path / "alone")
    assert Engine.load(folder, cache=pooled).corpus.passages == Engine.load(folder, cache=alone).corpus.passages
    assert pooled.stats == {"disk": 4, "built": 0}


async def test_a_large_folder_is_read_in_a_worker_and_then_mapped_in(tmp_path: Path) -> None:
    folder = big_folder(tmp_path / "corpus", 8, WORKER_MIN_BYTES // 6)
    settings = Settings(corpus_dir=folder)
    assert pending_bytes(new_file_cache(settings.cache_dir), folder) >= WORKER_MIN_BYTES
    services = await Services.start(settings, with_database=False)
    service = services.corpus
    try:
        assert service.cache.stats == {"disk": 8, "built": 0}  # the worker read them all
        assert pending_bytes(service.cache, folder) == 0
        engine = service.engine
        reloaded = await service.reload()
        assert (reloaded.old, reloaded.new) == (engine.version, engine.version)
        assert service.engine is engine  # nothing changed: the loaded index is kept
        assert service.cache.stats == {"disk": 0, "built": 0}  # nothing read
    finally:
        await services.close()


async def test_sigterm_while_the_corpus_is_being_read_exits_within_ten_seconds(tmp_path: Path) -> None:
    folder = big_folder(tmp_path / "corpus", 60, 50_000)  # minutes of reading on this machine
    log_path = tmp_path / "process.log"
    env = {**os.environ, "CORPUSBOT_DISCORD_TOKEN": TOKEN, "PYTHONPATH": str(ROOT), "CORPUSBOT_CORPUS_DIR": str(folder)}
    async with running_fake_discord(token=TOKEN) as fake:
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *("-m", "tests.bot.discord.run_on_fake", fake.base_url, str(fake.gateway_url), "run"),
                cwd=tmp_path,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
            try:
                deadline = time.monotonic() + 60
                while "reading new corpus files in worker process" not in log_path.read_text(encoding="utf-8"):
                    assert time.monotonic() < deadline and process.returncode is None, log_path.read_text()
                    await asyncio.sleep(0.1)
                await asyncio.sleep(2)  # the worker and its pool of readers are busy
                family = psutil.Process(process.pid).children(recursive=True)
                assert len(family) >= 2, family  # the worker, and at least one reader
                process.send_signal(signal.SIGTERM)
                started = time.monotonic()
                code = await asyncio.wait_for(process.wait(), STOP_LIMIT_SECONDS)
                assert time.monotonic() - started < STOP_LIMIT_SECONDS
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
    text = log_path.read_text(encoding="utf-8")
    assert code == 0, text
    assert "stopped" in text
    _, alive = psutil.wait_procs(family, timeout=5)
    assert alive == []  # the worker and its readers are gone too, not left to finish as orphans
