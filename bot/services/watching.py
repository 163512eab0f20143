"""Loading the corpus the settings name, and noticing when it should be reloaded.

A running bot reloads when `corpusbot reload` (another process) touches a request file next to the
database, or, with ``watch_corpus``, when the corpus files change; both are cheap to poll.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import NamedTuple

from bot.errors import CorpusUnreadable
from bot.settings import Settings, bundled_corpus_dir
from retrieval.engine import Engine

logger = logging.getLogger(__name__)

RELOAD_REQUEST_SUFFIX = ".reload"


def load_engine(settings: Settings) -> Engine:
    """Build the engine the settings describe (blocking: call it in a thread from async code).

    Raises CorpusUnreadable when the folder is missing, unreadable or holds no readable document.
    """
    corpus_dir = Path(settings.corpus_dir)
    # realpath, not resolve(): it never raises, so a broken folder (a symlink loop) is reported in words.
    label = "seeds" if os.path.realpath(corpus_dir) == os.path.realpath(bundled_corpus_dir()) else str(corpus_dir)
    try:
        return Engine.load(corpus_dir, base_url=settings.source_base_url, label=label)
    except (OSError, ValueError) as error:
        raise CorpusUnreadable(str(error)) from error


def reload_request_path(settings: Settings) -> Path:
    """The file `corpusbot reload` touches to ask a running bot (another process) to reload."""
    path = Path(settings.database_path)
    return path.with_name(path.name + RELOAD_REQUEST_SUFFIX)


class WatchState(NamedTuple):
    """What the watcher compares: the reload request's modification time and the corpus fingerprint."""

    request: int | None
    corpus: tuple[tuple[str, int, int], ...]


def watch_state(settings: Settings) -> WatchState:
    """Taken *before* a corpus is read, so an edit made while it loads is still noticed afterwards."""
    return WatchState(_mtime(reload_request_path(settings)), corpus_fingerprint(Path(settings.corpus_dir)))


def corpus_fingerprint(corpus_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the corpus files: cheap to poll for changes."""
    try:
        entries = sorted(corpus_dir.iterdir())
    except OSError:
        return ()
    found = []
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:
            continue
        found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
