"""The saved index: unchanged files come back from disk or memory, anything doubtful is rebuilt."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval.answer.spelling import word_counts
from retrieval.cache import FORMAT_VERSION, collector_paused
from retrieval.engine import Engine, SavedFiles, new_file_cache
from retrieval.search import embedding

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
QUESTION = "Who is Steve Ellner?"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _entries(cache: SavedFiles) -> list[Path]:
    return sorted((cache.root / "files").rglob("*.pickle"))


def _answer(engine: Engine) -> dict:
    return engine.ask(QUESTION).to_dict()


def _no_embedding(texts: object) -> np.ndarray:
    raise AssertionError("a warm start embedded sentences again")


def test_a_second_process_reads_every_file_from_disk_and_answers_the_same(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = Engine.load(folder)
    first = new_file_cache(tmp_path / "cache")
    built = Engine.load(folder, cache=first)
    assert first.stats == {"disk": 0, "built": 3}
    second = new_file_cache(tmp_path / "cache")  # a new process: nothing in memory
    with monkeypatch.context() as patched:  # the sentence vectors come from the saved index too
        patched.setattr(embedding, "embed", _no_embedding)
        patched.setattr(embedding, "embed_packed", _no_embedding)
        loaded = Engine.load(folder, cache=second)
    assert np.array_equal(loaded.composer.vectors.sentences, uncached.composer.vectors.sentences)
    assert np.array_equal(loaded.composer.vectors.passage_norms, uncached.composer.vectors.passage_norms)
    assert second.stats == {"disk": 3, "built": 0}
    assert not loaded.index.arrays.impacts.flags.writeable  # the saved arrays, mapped in
    assert len(list((tmp_path / "cache" / "index").iterdir())) == 1
    assert loaded.version == built.version == uncached.version
    assert loaded.corpus.passages == uncached.corpus.passages
    assert loaded.corpus.sentences == uncached.corpus.sentences
    assert _answer(loaded) == _answer(uncached)
    # the speller's vocabulary, added up from the files' saved counts, is what scanning every sentence finds
    assert loaded.composer.speller.frequency == word_counts(s.text for s in uncached.corpus.sentences)
    assert loaded.corpus.documents[0].line_of(len(loaded.corpus.documents[0].text)) > 1  # derived table rebuilt


def test_an_unchanged_reload_keeps_the_engine_and_a_changed_file_alone_is_read_again(
    folder: Path, tmp_path: Path
) -> None:
    cache = new_file_cache(tmp_path / "cache")
    engine = Engine.load(folder, cache=cache)
    assert Engine.load(folder, cache=cache, previous=engine) is engine
    assert cache.stats == {"disk": 0, "built": 0}  # nothing read
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new closing sentence about Caracas.\n")
    reloaded = Engine.load(folder, cache=cache, previous=engine)
    assert reloaded is not engine and reloaded.version != engine.version
    assert cache.stats == {"disk": 2, "built": 1}
    assert len(_entries(cache)) == 4


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "swap"])
def test_corrupt_foreign_or_misplaced_entries_are_rebuilt_never_trusted(
    folder: Path, tmp_path: Path, damage: str
) -> None:
    cache = new_file_cache(tmp_path / "cache")
    expected = _answer(Engine.load(folder, cache=cache))
    entries = _entries(cache)
    data = entries[0].read_bytes()
    if damage == "truncate":
        entries[0].write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        entries[0].write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "foreign":
        entries[0].write_bytes(data.replace(f"corpusbot-cache {FORMAT_VERSION} ".encode(), b"corpusbot-cache 999 ", 1))
    else:  # a valid entry of another file under this file's name
        entries[0].write_bytes(entries[1].read_bytes())
    fresh = new_file_cache(tmp_path / "cache")
    engine = Engine.load(folder, cache=fresh)
    assert fresh.stats == {"disk": 2, "built": 1}
    assert _answer(engine) == expected
    assert new_file_cache(tmp_path / "cache")._read(entries[0].stem) is not None  # rewritten whole


def test_a_cache_folder_that_cannot_be_written_costs_speed_not_answers(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = new_file_cache(blocker)
    assert _answer(Engine.load(folder, cache=cache)) == _answer(Engine.load(folder))
    assert cache.stats["built"] == 3


def test_metadata_is_part_of_the_key(folder: Path, tmp_path: Path) -> None:
    cache = new_file_cache(tmp_path / "cache")
    Engine.load(folder, cache=cache)
    stem = sorted(folder.glob("*.txt"))[0].stem
    (folder / "metadata.json").write_text(f'{{"{stem}": {{"title": "A title from metadata"}}}}')
    engine = Engine.load(folder, cache=cache)
    assert cache.stats["built"] == 1
    assert engine.corpus.document(stem).title == "A title from metadata"


def test_a_file_no_reader_can_use_is_remembered_with_its_reason_and_still_reported(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "empty.md").write_text("# Only a heading\n", encoding="utf-8")
    (folder / "notes.log").write_text("not a document\n", encoding="utf-8")
    Engine.load(folder, cache=new_file_cache(tmp_path / "cache"))
    again = new_file_cache(tmp_path / "cache")  # a new process: the skip comes from disk, not a new read
    skipped = Engine.load(folder, cache=again).corpus.skipped
    assert again.stats == {"disk": 4, "built": 0}
    assert [(s.name, s.reason.split(" (")[0]) for s in skipped] == [
        ("empty.md", "no quotable text"),
        ("notes.log", "unsupported kind"),
    ]


def test_loading_pauses_the_collector_and_freezes_what_it_built_even_when_nested_or_failing() -> None:
    seen: list[bool] = []

    @collector_paused
    def build(fail: bool) -> list[list[int]]:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("unreadable")
        return [[n] for n in range(100)]

    @collector_paused
    def outer() -> list[list[int]]:
        built = build(False)
        seen.append(gc.isenabled())  # still paused after the inner call returned
        return built

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        assert len(outer()) == 100
        assert gc.get_freeze_count() >= frozen + 100  # what it built is out of the collector's scans
        with pytest.raises(ValueError):
            build(True)
        assert seen == [False, False, False]
        assert gc.isenabled()
        gc.disable()  # a process that turned it off keeps it off
        build(False)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
