"""Saved index arrays: mapped back read-only, equal to a fresh build; anything doubtful is ignored."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from retrieval.search.index import COMPILED_MIN_PASSAGES, Bm25Index, Bm25Params
from retrieval.search.saved import KEEP_SAVED, load_index, save_index


def _docs(count: int) -> list[list[str]]:
    rng = random.Random(count)
    return [[f"w{rng.randint(0, 300)}" for _ in range(rng.randint(1, 12))] for _ in range(count)]


@pytest.mark.parametrize("count", [50, COMPILED_MIN_PASSAGES])  # numpy top-k, then the compiled one
def test_a_saved_index_ranks_exactly_as_the_one_it_was_saved_from(tmp_path: Path, count: int) -> None:
    built = Bm25Index(_docs(count))
    save_index(built, tmp_path / "index" / "a")
    loaded = load_index(tmp_path / "index" / "a", built.params)
    assert loaded is not None and not loaded.arrays.impacts.flags.writeable  # mapped, not copied
    for query in (["w1"], ["w2", "w3", "w2"], ["w4", "never"], ["never"]):
        assert loaded.top(query, 10) == built.top(query, 10)
        np.testing.assert_array_equal(loaded.scores(query), built.scores(query))
        assert loaded.idf(query[0]) == built.idf(query[0])


@pytest.mark.parametrize("damage", ["array", "vocabulary", "meta", "params", "missing"])
def test_a_damaged_or_foreign_saved_index_is_ignored(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "a"
    save_index(Bm25Index(_docs(40)), folder)
    params = Bm25Params()
    if damage == "array":
        data = bytearray((folder / "impacts.npy").read_bytes())
        data[-1] ^= 0xFF
        (folder / "impacts.npy").write_bytes(bytes(data))
    elif damage == "vocabulary":
        (folder / "vocabulary.json").write_text('["x"]', encoding="utf-8")
    elif damage == "meta":
        meta = json.loads((folder / "meta.json").read_text())
        (folder / "meta.json").write_text(json.dumps({**meta, "format": 999}))
    elif damage == "params":
        params = Bm25Params(k1=2.0)
    else:
        (folder / "indices.npy").unlink()
    assert load_index(folder, params) is None


def test_only_the_latest_saved_indexes_are_kept(tmp_path: Path) -> None:
    index = Bm25Index(_docs(10))
    for number in range(KEEP_SAVED + 2):
        save_index(index, tmp_path / f"v{number}")
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == KEEP_SAVED and f"v{KEEP_SAVED + 1}" in kept
