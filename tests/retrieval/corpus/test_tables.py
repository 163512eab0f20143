"""The column tables give back exactly the pieces they were given, on real corpora of every format."""

from __future__ import annotations

from dataclasses import replace

import pytest

from retrieval.corpus.loader import Corpus, assemble_corpus, document_files, read_or_skip
from retrieval.corpus.tables import PassageTable, SentenceTable, document_runs
from tests.conftest import SEEDS
from tests.retrieval.conftest import REAL_DOCS


def _pieces(folder):
    """Every file's pieces as the loader reads them, before any table holds them."""
    paths, metadata, _ = document_files(folder)
    return [read_or_skip(path, metadata.get(path.stem, {})) for path in paths]


@pytest.mark.parametrize("folder", [SEEDS, REAL_DOCS], ids=["seeds", "docs"])
def test_tables_give_back_every_sentence_and_passage_unchanged(folder) -> None:
    files = _pieces(folder)
    sentences = [s for f in files for s in f.sentences]
    corpus = assemble_corpus(folder, None, files)
    assert isinstance(corpus.sentences, SentenceTable) and isinstance(corpus.passages, PassageTable)
    assert list(corpus.sentences) == sentences
    assert [corpus.sentence_table.text(row) for row in range(len(sentences))] == [s.text for s in sentences]
    assert list(corpus.sentence_table.texts()) == [s.text for s in sentences]
    originals = [p for f in files for p in f.passages]
    assert [(p.doc_id, p.start, p.end, p.heading_path, p.page, p.kind, p.lead_span) for p in corpus.passages] == [
        (p.doc_id, p.start, p.end, p.heading_path, p.page, p.kind, p.lead_span) for p in originals
    ]
    assert [p.index for p in corpus.passages] == list(range(len(originals)))
    assert [corpus.passages.document_of(row).doc_id for row in range(len(originals))] == [p.doc_id for p in originals]
    assert {p.kind for p in corpus.passages} >= ({"text"} if folder == SEEDS else {"text", "code", "table"})
    for document in corpus.documents:
        mine = [s for s in sentences if s.doc_id == document.doc_id]
        assert list(corpus.sentences_of(document.doc_id)) == mine
        assert [s.index for s in corpus.sentences_of(document.doc_id)] == list(range(len(mine)))


def test_rows_slice_index_and_compare_like_tuples() -> None:
    corpus = assemble_corpus(SEEDS, None, _pieces(SEEDS))
    everything = tuple(corpus.sentences)
    assert corpus.sentences == everything and everything == corpus.sentences
    assert corpus.sentences[3:9] == everything[3:9]
    assert corpus.sentences[3:9][1:3] == everything[4:6]
    assert corpus.sentences[-1] == everything[-1]
    assert corpus.sentences[::-1][0] == everything[-1]
    assert corpus.sentences != everything[:-1]
    with pytest.raises(IndexError):
        corpus.sentences[len(everything)]
    assert corpus.sentences_of("no such document") == ()


def test_a_corpus_rebuilt_from_its_own_tables_is_equal() -> None:
    corpus = assemble_corpus(SEEDS, None, _pieces(SEEDS))
    again = Corpus(corpus.root, corpus.label, corpus.documents, corpus.sentences, corpus.passages)
    assert again.sentences is corpus.sentences
    copied = Corpus(corpus.root, corpus.label, corpus.documents, tuple(corpus.sentences), tuple(corpus.passages))
    assert copied.sentences == corpus.sentences and copied.passages == corpus.passages


def test_pieces_of_an_unknown_document_or_split_documents_are_refused() -> None:
    corpus = assemble_corpus(SEEDS, None, _pieces(SEEDS))
    stray = replace(corpus.sentences[0], doc_id="elsewhere")
    with pytest.raises(ValueError, match="elsewhere"):
        SentenceTable(corpus.documents, [stray])
    assert document_runs([0, 0, 1, 1, 1, 2]) == {0: (0, 2), 1: (2, 5), 2: (5, 6)}
    assert document_runs([]) == {}
    with pytest.raises(ValueError, match="grouped by document"):
        document_runs([0, 1, 0])
