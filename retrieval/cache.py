"""The saved index: what each corpus file becomes after reading, cutting and analysis, kept on disk.

Reading a file is the expensive step (sentence splitting, term analysis, embedding), and its result
depends only on the file's bytes, its metadata entry, its name and the code that reads it. So each
result is stored under a key hashing exactly those: the code part is a digest of the source of the
packages that shape it plus the versions of the libraries they call, so any change to a reader, the
chunker or the analyser invalidates every entry without anyone remembering to bump a number.
``FORMAT_VERSION`` covers this module's own file layout.

An entry is never trusted blindly: a file whose header, format version, key or checksum does not
match is rebuilt and overwritten (a stale, foreign or corrupt cache costs a rebuild, never a wrong
answer). Entries are pickles, so the cache folder must be as private as the code itself (it is the
user's own cache directory by default). Entries are written atomically (temporary file + rename), so
concurrent writers (the bot and `corpusbot index`) never see half a file.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, ParamSpec, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")

FORMAT_VERSION = 2  # 2: CRC-32 payload checksums
MAGIC = b"corpusbot-cache"
# Source that shapes what is saved: readers, chunking, analysis, the data models, the per-file analysis
# step, and the index (its saved arrays are keyed by this version too).
CODE_PACKAGES = (
    "retrieval/corpus",
    "retrieval/text",
    "retrieval/models.py",
    "retrieval/answer",
    "retrieval/engine.py",
    "retrieval/search",
)
LIBRARIES = ("PyStemmer", "numpy", "wordllama", "tokenizers", "pypdf", "markdown-it-py", "docutils", "lxml")
_HEADER_END = b"\n"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of everything besides a file's own bytes that decides what reading it yields."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{FORMAT_VERSION}\0{sys.version_info[:2]}\0{pickle.HIGHEST_PROTOCOL}".encode())
    for name in CODE_PACKAGES:
        target = root / name
        for source in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            digest.update(str(source.relative_to(root)).encode() + b"\0" + source.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()[:16]


_pauses = 0
_pauses_lock = threading.Lock()
_collector_was_enabled = False


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the cyclic garbage collector off, then freeze what it built.

    Loading a saved corpus creates millions of long-lived objects (sentences, passages, terms) and no
    garbage cycles; each full collection the allocations trigger meanwhile scans all of them: at 50k
    sentences six such passes took 0.6-1.0 s of a 2 s load, holding the GIL. What it built is then
    frozen (``gc.freeze``) so later collections skip it too. Nested and concurrent calls keep the
    collector off until the last one returns, and leave it as they found it.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        global _pauses, _collector_was_enabled
        with _pauses_lock:
            if _pauses == 0:
                _collector_was_enabled = gc.isenabled()
                gc.disable()
            _pauses += 1
        try:
            result = function(*args, **kwargs)
            gc.freeze()
            return result
        finally:
            with _pauses_lock:
                _pauses -= 1
                if _pauses == 0 and _collector_was_enabled:
                    gc.enable()

    return paused


class FileCache(Generic[T]):
    """Per-file results of ``build``, from disk, or built afresh and saved.

    It remembers, per (path, size, modification time, metadata), the content key, so a reload hashes
    only the files that changed. Results are not kept in memory: the engine holds what it assembled
    from them, and a second copy of every file's pieces, terms and vectors would cost the bot tens of
    megabytes for the one reload that reads them again (a reload with no file changed keeps the loaded
    engine without reading anything; see ``Engine.load``).
    """

    def __init__(self, root: Path, build: Callable[[Path, Mapping[str, Any]], T]) -> None:
        self.root = Path(root)
        self.build = build
        self.version = code_version()
        self._keys: dict[tuple[str, int, int, str], str] = {}
        self.stats: dict[str, int] = {}
        self.reset_stats()

    def reset_stats(self) -> None:
        """Count afresh where results come from (disk, built): one load's worth."""
        self.stats = {"disk": 0, "built": 0}

    def key(self, path: Path, meta: Mapping[str, Any]) -> str:
        """The entry's name for one file.

        The entry's name: content, file name, metadata and code version (the file is read only when
        its size, modification time or metadata changed since this process last saw it).
        """
        meta_text = json.dumps(meta, sort_keys=True, default=str)
        stat = path.stat()
        seen = (str(path), stat.st_size, stat.st_mtime_ns, meta_text)
        found = self._keys.get(seen)
        if found is None:
            digest = hashlib.sha256(path.read_bytes())
            digest.update(f"\0{path.name}\0{meta_text}\0{self.version}".encode())
            found = self._keys[seen] = digest.hexdigest()
        return found

    def get(self, path: Path, meta: Mapping[str, Any]) -> T:
        """The result for one file; what ``build`` raises (an unreadable file) is raised, not stored."""
        try:
            key = self.key(path, meta)
        except OSError:
            return self.build(path, meta)  # unreadable: let the reader report it
        result = self._read(key)
        if result is not None:
            self.stats["disk"] += 1
        else:
            result = self.build(path, meta)
            self.stats["built"] += 1
            self._write(key, result)
        return result

    def holds(self, path: Path, meta: Mapping[str, Any]) -> bool:
        """Whether the result is on disk (not checked here: ``get`` still verifies it)."""
        try:
            key = self.key(path, meta)
        except OSError:
            return True  # nothing to build: the reader will skip it
        return self._path(key).is_file()

    def forget_except(self, keys: set[str]) -> None:
        """Forget the content keys of files no longer in the folder, or changed since (bounded memory)."""
        self._keys = {seen: key for seen, key in self._keys.items() if key in keys}

    def _path(self, key: str) -> Path:
        return self.root / "files" / key[:2] / f"{key}.pickle"

    def _read(self, key: str) -> T | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        header, _, payload = data.partition(_HEADER_END)
        expected = _header(key, payload)
        if header != expected:
            logger.warning("cache entry %s is stale, foreign or corrupt; rebuilding it", path.name)
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # a checksum match with an unreadable pickle: another Python or library version
            logger.warning("cache entry %s cannot be read back; rebuilding it", path.name)
            return None

    def _write(self, key: str, result: T) -> None:
        path = self._path(key)
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(result)
        payload = buffer.getvalue()
        temporary: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
                temporary = Path(handle.name)
                handle.write(_header(key, payload) + _HEADER_END + payload)
            os.replace(temporary, path)
        except OSError as error:  # a read-only or full disk costs speed, never answers
            logger.warning("cannot write the cache entry %s (%s); continuing without it", path, error)
            if temporary is not None:
                temporary.unlink(missing_ok=True)


class _Pickler(pickle.Pickler):
    """Pickles dataclass instances as a call of their class with their init fields.

    The default for frozen slotted dataclasses restores each one through ``dataclasses.fields``,
    which made loading a saved corpus cost 30 µs per token; a constructor call costs about 1 µs, and
    derived fields (``init=False``) are recomputed by ``__post_init__`` instead of being stored.
    """

    def reducer_override(self, obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            kind = type(obj)
            names = _init_fields(kind)
            return kind, tuple(getattr(obj, name) for name in names)
        return NotImplemented


@cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.init)


def _header(key: str, payload: bytes) -> bytes:
    """Magic, format, the key it must hold, and a checksum of the payload and its length: one line.

    The checksum guards against truncation and corruption, not tampering (the folder must be private
    anyway: entries are pickles), so it is CRC-32: a warm start checks ~40 MB at 50k sentences, which
    took 0.11 s with BLAKE2b and takes 0.03 s so.
    """
    checksum = f"{zlib.crc32(payload):08x}-{len(payload)}"
    return b" ".join([MAGIC, str(FORMAT_VERSION).encode(), key.encode(), checksum.encode()])
