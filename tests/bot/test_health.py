"""The heartbeat file and `corpusbot check --health`: judged from the file alone, never from the corpus."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.health import (
    DISCONNECTED_GRACE_SECONDS,
    STALE_AFTER_SECONDS,
    Pulse,
    assess,
    heartbeat_path,
    read_heartbeat,
    remove_heartbeat,
    write_heartbeat,
)

pytestmark = pytest.mark.usefixtures("restore_logging")


def beat_file(database: Path, *, connected: bool = True, age: float = 0.0, since: float = 30.0) -> Path:
    pulse = Pulse()
    if connected:
        pulse.connect()
    pulse.event()
    beat = pulse.beat(0.042, "abcdef123456")
    now = time.time()
    path = heartbeat_path(database)
    write_heartbeat(path, beat)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(written_at=now - age, since=now - since)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_fresh_beat_from_a_connected_bot_is_healthy(isolated_settings: Path) -> None:
    path = beat_file(isolated_settings)
    assert path.name == "corpusbot.sqlite3.heartbeat"
    beat = read_heartbeat(path)
    assert beat.gateway_connected and beat.latency_ms == 42.0 and beat.last_event_at is not None
    healthy, lines = assess(path)
    assert healthy and lines[-1] == "OK"
    assert any(line.startswith("gateway        connected since 30 s ago, latency 42 ms") for line in lines)


@pytest.mark.parametrize(
    ("connected", "age", "since", "problem"),
    [
        (True, STALE_AFTER_SECONDS + 5, 30.0, "hung or stopped"),
        (False, 0.0, DISCONNECTED_GRACE_SECONDS + 5, "gateway down"),
    ],
)
def test_stale_or_disconnected_is_unhealthy(
    isolated_settings: Path, connected: bool, age: float, since: float, problem: str
) -> None:
    healthy, lines = assess(beat_file(isolated_settings, connected=connected, age=age, since=since))
    assert not healthy and lines[-1] == "UNHEALTHY"
    assert any(problem in line for line in lines)


def test_a_short_disconnect_is_tolerated(isolated_settings: Path) -> None:
    healthy, lines = assess(beat_file(isolated_settings, connected=False, since=10.0))
    assert healthy and any("DISCONNECTED since 10 s ago" in line for line in lines)


def test_check_health_exit_codes_and_no_corpus_read(
    isolated_settings: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CORPUSBOT_CORPUS_DIR", str(tmp_path / "no-such-folder"))  # never looked at
    assert main(["check", "--health"]) == 1
    assert "the bot is not running" in capsys.readouterr().out
    beat_file(isolated_settings)
    assert main(["check", "--health"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "OK" and "corpus abcdef12" in out
    heartbeat_path(isolated_settings).write_text("{not json", encoding="utf-8")
    assert main(["check", "--health"]) == 1
    remove_heartbeat(heartbeat_path(isolated_settings))
    remove_heartbeat(heartbeat_path(isolated_settings))  # already gone: no error
    assert not heartbeat_path(isolated_settings).exists()
