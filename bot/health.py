"""The running bot's heartbeat file, and the health verdict `corpusbot check --health` draws from it.

A health probe must be cheap and must not ask the bot anything: the bot writes a small JSON file next
to its database every HEARTBEAT_INTERVAL_SECONDS (gateway connected or not, when the last gateway event
arrived, the heartbeat latency), and the probe only reads that file. It never reads the corpus.

Unhealthy when: there is no heartbeat file (the bot is not running), the file is older than
STALE_AFTER_SECONDS (the process hung or died), or the gateway has been disconnected for longer than
DISCONNECTED_GRACE_SECONDS (discord.py reconnects within seconds normally). The age of the last event is
reported but never judged: a quiet server legitimately sends none for hours.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

HEARTBEAT_SUFFIX = ".heartbeat"
HEARTBEAT_INTERVAL_SECONDS = 15.0
STALE_AFTER_SECONDS = 90.0
DISCONNECTED_GRACE_SECONDS = 120.0


def heartbeat_path(database_path: Path) -> Path:
    """Beside the database, like the reload request: the one place a deployment already makes writable."""
    path = Path(database_path)
    return path.with_name(path.name + HEARTBEAT_SUFFIX)


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """One beat, as written to the file (times are Unix seconds)."""

    pid: int
    written_at: float
    started_at: float
    gateway_connected: bool
    since: float  # when the gateway last connected, or last disconnected when it is down
    last_event_at: float | None
    latency_ms: float | None
    corpus_version: str


class Pulse:
    """What the Discord client reports as it happens; `beat` turns it into a Heartbeat."""

    def __init__(self) -> None:
        self.started_at = time.time()
        self.connected = False
        self.since = self.started_at
        self.last_event_at: float | None = None
        self.stopped = False  # set at shutdown: no more beats

    def connect(self) -> None:
        """The gateway is connected (again): the disconnection clock stops."""
        if not self.connected:
            self.connected, self.since = True, time.time()

    def disconnect(self) -> None:
        """The gateway dropped: from now on the probe counts how long it stays down."""
        if self.connected:
            self.connected, self.since = False, time.time()

    def event(self) -> None:
        """A gateway event arrived (reported as the age of the last one, never judged)."""
        self.last_event_at = time.time()

    def beat(self, latency_seconds: float, corpus_version: str) -> Heartbeat:
        """The heartbeat to write now: connection state, last event, latency, corpus version."""
        latency = latency_seconds * 1000 if math.isfinite(latency_seconds) else None
        return Heartbeat(
            pid=os.getpid(),
            written_at=time.time(),
            started_at=self.started_at,
            gateway_connected=self.connected,
            since=self.since,
            last_event_at=self.last_event_at,
            latency_ms=round(latency, 1) if latency is not None else None,
            corpus_version=corpus_version,
        )


def write_heartbeat(path: Path, beat: Heartbeat) -> None:
    """Replace the file atomically, so a probe never reads half a beat."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(asdict(beat)), encoding="utf-8")
    os.replace(partial, path)


def remove_heartbeat(path: Path) -> None:
    """At a clean shutdown: a stopped bot has no heartbeat, rather than a stale one."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        logger.warning("could not remove the heartbeat file %s: %s", path, error)


def read_heartbeat(path: Path) -> Heartbeat:
    """The last beat; FileNotFoundError when there is none, ValueError when the file is not a beat."""
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        return Heartbeat(**data)
    except TypeError as error:
        raise ValueError(f"not a heartbeat file ({error})") from None


def _ago(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def assess(path: Path, now: float | None = None) -> tuple[bool, list[str]]:
    """(healthy, report lines) from the heartbeat file alone."""
    now = time.time() if now is None else now
    try:
        beat = read_heartbeat(path)
    except FileNotFoundError:
        return False, [f"no heartbeat at {path}: the bot is not running (or has not started yet)"]
    except (OSError, ValueError) as error:
        return False, [f"unreadable heartbeat {path}: {error}"]
    lines = [f"heartbeat      {_ago(now - beat.written_at)} (pid {beat.pid}, corpus {beat.corpus_version[:8]})"]
    healthy = True
    if now - beat.written_at > STALE_AFTER_SECONDS:
        healthy = False
        lines.append(f"PROBLEM        heartbeat older than {STALE_AFTER_SECONDS:.0f} s: the bot is hung or stopped")
    if beat.gateway_connected:
        latency = f", latency {beat.latency_ms:.0f} ms" if beat.latency_ms is not None else ""
        lines.append(f"gateway        connected since {_ago(now - beat.since)}{latency}")
    else:
        lines.append(f"gateway        DISCONNECTED since {_ago(now - beat.since)}")
        if now - beat.since > DISCONNECTED_GRACE_SECONDS:
            healthy = False
            lines.append(f"PROBLEM        gateway down for over {DISCONNECTED_GRACE_SECONDS:.0f} s")
    last = "none yet" if beat.last_event_at is None else _ago(now - beat.last_event_at)
    lines.append(f"last event     {last}")
    lines.append("OK" if healthy else "UNHEALTHY")
    return healthy, lines
