"""Files and folders the bot creates hold users' questions: owner-only (0600 / 0700) whatever the umask.

The umask only ever removes bits, so a process started with the common 022 would otherwise leave the
log readable by every local account. Modes are set explicitly after creation; files that already exist
with wider modes (written by an older version) are tightened when the bot opens them.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents as 0700.

    Folders that already exist are left alone (``/tmp`` or a shared data folder are not ours to narrow).
    """
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)


def tighten(path: Path) -> None:
    """Make an existing file owner-only; a file we do not own is reported, not fatal."""
    try:
        if path.exists() and (path.stat().st_mode & 0o777) != FILE_MODE:
            os.chmod(path, FILE_MODE)
    except PermissionError:
        logger.warning("cannot make %s private (owned by another user?)", path)


def touch_private(path: Path) -> None:
    """Create ``path`` empty as 0600 if it does not exist (so SQLite's -wal and -shm inherit that mode)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    tighten(path)


def open_private(path: Path, flags: int, *, create_parents: bool = True) -> int:
    """``os.open`` with the file created 0600 (and narrowed if it existed wider); returns the descriptor.

    ``create_parents=False`` for paths a person typed: a missing folder is then their mistake to hear about.
    """
    if create_parents:
        private_dir(path.parent)
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes, *, create_parents: bool = True) -> None:
    """Replace ``path``'s contents with ``data``; the file is 0600."""
    fd = open_private(path, os.O_WRONLY | os.O_TRUNC, create_parents=create_parents)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
