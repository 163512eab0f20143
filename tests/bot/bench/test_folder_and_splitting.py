"""The real-looking news folder and the sentence-splitter comparison (speed is never asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bench.folder import RHINE, write_folder, write_one_file
from bot.bench.splitting import DOCS, compare, folder_paragraphs, splitters, starts
from bot.settings import bundled_corpus_dir
from retrieval.corpus.loader import load_corpus


def test_the_generated_folder_is_seeded_readable_news(tmp_path: Path) -> None:
    first = write_folder(tmp_path / "a", files=4, sentences=200, seed=3)
    again = write_folder(tmp_path / "b", files=4, sentences=200, seed=3)
    other = write_folder(tmp_path / "c", files=4, sentences=200, seed=4)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in again.iterdir()) and len(names) == 4
    assert all((first / n).read_bytes() == (again / n).read_bytes() for n in names)
    assert (first / names[0]).read_bytes() != (other / names[0]).read_bytes()
    corpus = load_corpus(first)
    assert len(corpus.documents) == 4 and not corpus.skipped
    assert all(d.date is not None and not d.date_inferred for d in corpus.documents)  # the `date` line is read
    assert 100 <= len(corpus.sentences) <= 300  # ~50 a file, ±50 %


def test_one_large_document(tmp_path: Path) -> None:
    target = write_one_file(tmp_path, 0.2)
    size = (target / "large.txt").stat().st_size
    assert 200_000 <= size < 260_000
    assert len(load_corpus(target).documents) == 1


def test_a_boundary_is_taken_at_the_next_word() -> None:
    quoted = "He left.” Then it ended. ”"
    # a closing quote moved to the next sentence is the same boundary; a lone quote mark is none
    assert starts(quoted, ["He left.", "” Then it ended.", "”"]) == (quoted.index("Then"),)
    assert starts(quoted, ["He left.”", "Then it ended. ”"]) == (quoted.index("Then"),)
    noted = "It was Rhenus.[note 3] The name changed."
    assert starts(noted, ["It was Rhenus.", "[note 3] The name changed."]) == (noted.index("The"),)
    assert starts(noted, ["It was Rhenus.[note 3]", "The name changed."]) == (noted.index("The"),)


@pytest.mark.parametrize(
    ("folder", "least_recall"),
    [(bundled_corpus_dir(), 1.0), (RHINE, 0.99), (DOCS, 0.95)],
    ids=["seeds", "rhine", "docs"],
)
def test_our_splitter_finds_no_boundary_pysbd_does_not(folder: Path, least_recall: float) -> None:
    """The quality gate of replacing pySBD: where they differ on these texts, pySBD is the one wrong."""
    candidates = {name: split for name, split in splitters().items() if name in {"pysbd", "ours"}}
    rows, _ = compare(folder.name, folder_paragraphs(folder), candidates)
    ours = next(row for row in rows if row.name == "ours")
    assert ours.precision == 1.0
    assert ours.recall >= least_recall
