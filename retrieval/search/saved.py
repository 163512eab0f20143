"""The index arrays on disk, memory-mapped back: a warm start skips building the CSR of impacts.

A saved index lives in its own folder named by a key the caller derives from everything it was built
from (the files' cache keys, the code version, the BM25 parameters). ``meta.json`` carries the format
version, the parameters and a checksum of every array; an index whose folder, format, parameters or
checksums do not match is ignored (the caller rebuilds and saves it again), never trusted. The arrays
are mapped read-only, so the pages are shared with the page cache instead of copied into the process.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zlib
from dataclasses import asdict
from pathlib import Path

import numpy as np

from retrieval.search.index import Bm25Index, Bm25Params, IndexArrays

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
ARRAYS = ("indptr", "indices", "impacts", "idf")
KEEP_SAVED = 4  # older saved indexes (earlier versions of the corpus) are removed beyond this many


def _checksum(array: np.ndarray) -> int:
    return zlib.crc32(np.ascontiguousarray(array).data.cast("B"))


def save_index(index: Bm25Index, folder: Path) -> None:
    """Write the index to ``folder`` atomically (a complete folder appears, or none); errors are logged."""
    folder = Path(folder)
    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
        arrays = index.arrays
        for name in ARRAYS:
            np.save(staging / f"{name}.npy", getattr(arrays, name), allow_pickle=False)
        (staging / "vocabulary.json").write_text(json.dumps(index.vocabulary, ensure_ascii=False), encoding="utf-8")
        meta = {
            "format": FORMAT_VERSION,
            "params": asdict(index.params),
            "size": arrays.size,
            "avg_length": arrays.avg_length,
            "checksums": {name: _checksum(getattr(arrays, name)) for name in ARRAYS},
            "vocabulary": zlib.crc32((staging / "vocabulary.json").read_bytes()),
        }
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    except OSError as error:
        logger.warning("cannot save the index arrays to %s (%s); the next start rebuilds them", folder, error)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return
    _prune(folder.parent, keep=folder)


def load_index(folder: Path, params: Bm25Params) -> Bm25Index | None:
    """The saved index in ``folder``, or None when it is missing, foreign or damaged."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION or meta.get("params") != asdict(params):
            raise ValueError("another format or other parameters")
        vocabulary_bytes = (folder / "vocabulary.json").read_bytes()
        if zlib.crc32(vocabulary_bytes) != meta["vocabulary"]:
            raise ValueError("vocabulary checksum")
        loaded = {}
        for name in ARRAYS:
            array = np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False))
            if _checksum(array) != meta["checksums"][name]:
                raise ValueError(f"{name} checksum")
            loaded[name] = array
        vocabulary = json.loads(vocabulary_bytes)
        arrays = IndexArrays(**loaded, size=int(meta["size"]), avg_length=float(meta["avg_length"]))
        if len(vocabulary) + 1 != len(arrays.indptr) or len(arrays.indices) != len(arrays.impacts):
            raise ValueError("array shapes disagree")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("ignoring the saved index in %s (%s); rebuilding it", folder, error)
        return None
    return Bm25Index.from_arrays(params, vocabulary, arrays)


def _prune(parent: Path, keep: Path) -> None:
    """Remove all but the KEEP_SAVED most recent saved indexes (``keep`` always stays)."""
    saved = sorted(
        (p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in saved[KEEP_SAVED:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
