"""Process logging, configured once at the entry point: text for people, JSON for log collectors.

Records may carry ``guild_id``, ``channel_id`` and ``latency_ms`` extras; both formats show them.
The token never reaches a log: settings hold it as a SecretStr and nothing formats it.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_EXTRAS = ("guild_id", "channel_id", "user_id", "latency_ms", "interface")


class JsonFormatter(logging.Formatter):
    """One JSON object per line with time, level, logger, message, extras and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """One JSON object for one record."""
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: getattr(record, key) for key in _EXTRAS if getattr(record, key, None) is not None})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger: message [guild=… channel=… latency_ms=…]``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The standard line, then the extras that are set."""
        line = super().format(record)
        extras = " ".join(f"{key}={getattr(record, key)}" for key in _EXTRAS if getattr(record, key, None) is not None)
        if extras:
            head, newline, rest = line.partition("\n")
            line = f"{head} [{extras}]{newline}{rest}"
        return line


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Send the process log to stderr; safe to call again (replaces the handler)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # discord.py is chatty at INFO about gateway internals; keep its warnings.
    logging.getLogger("discord").setLevel(max(logging.INFO, root.level))
