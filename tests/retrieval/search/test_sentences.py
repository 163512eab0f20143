"""Index-time sentence statistics kept compact: one table of int32 term ids, joined per file."""

from __future__ import annotations

import io
import pickle
from itertools import pairwise

import numpy as np

from retrieval.answer.composer import Composer, analyse_sentence, analyse_sentences, passage_terms
from retrieval.answer.features import sentence_kinds
from retrieval.cache import _Pickler
from retrieval.corpus.loader import Corpus
from retrieval.engine import Engine, PreparedFile, index_from_table, prepare_file
from retrieval.search.index import Bm25Index, Bm25Params
from retrieval.search.sentences import SentenceStats, TermTable
from retrieval.text.analysis import fold_for_tokens, tokenize
from tests.retrieval.conftest import REAL_DOCS


def test_a_sentence_keeps_its_terms_and_kinds_not_its_tokens() -> None:
    text = "In May 1998 the Ministry paid 40 million to Kamina Port."
    tokens = tokenize(fold_for_tokens(text))
    assert analyse_sentence(text) == ([t.term for t in tokens], sentence_kinds(text, tokens))


def test_the_table_holds_every_sentence_in_corpus_order(docs_engine: Engine) -> None:
    corpus = docs_engine.corpus
    table = analyse_sentences(corpus)
    assert table.rows == len(corpus.sentences) and table.ids.dtype == np.int32
    for row, sentence in enumerate(corpus.sentences):
        terms, kinds = analyse_sentence(sentence.text)
        assert table.terms(row) == tuple(terms)
        assert table.kinds(row) == kinds
        assert table.starts[sentence.doc_id] + sentence.index == row


def test_passage_terms_and_stats_read_the_table(docs_engine: Engine) -> None:
    corpus = docs_engine.corpus
    table = analyse_sentences(corpus)
    stats = SentenceStats(corpus.sentence_table, corpus.passage_table, table)
    sentences = list(corpus.sentences)
    row_of = {(s.doc_id, s.index): row for row, s in enumerate(sentences)}
    for number, passage in enumerate(corpus.passages):  # the columns say what the objects say
        first, last = row_of[(passage.doc_id, passage.first_sentence)], row_of[(passage.doc_id, passage.last_sentence)]
        assert stats.passage_rows[number] == range(first, last + 1)
    for row, (one, other) in enumerate(pairwise(sentences)):
        same = (one.doc_id, one.paragraph) == (other.doc_id, other.paragraph)
        assert (stats.paragraph_of[row] == stats.paragraph_of[row + 1]) == same
    for number, passage in enumerate(corpus.passages):
        rows = stats.passage_rows[number]
        expected = [term for row in rows for term in table.terms(row)]
        assert passage_terms(table, passage)[: len(expected)] == expected
        assert stats.passage_terms(number) == frozenset(expected)
    assert stats.distinct.tolist() == [len(set(table.terms(row))) for row in range(table.rows)]


def test_saved_files_join_into_the_table_of_the_whole_corpus() -> None:
    paths = [p for p in sorted(REAL_DOCS.iterdir()) if p.suffix == ".md"][:3]
    loaded = []
    for path in paths:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(prepare_file(path, {}))
        entry = pickle.loads(buffer.getvalue())
        assert isinstance(entry, PreparedFile) and isinstance(entry.tokens, TermTable)
        loaded.append(entry)
    joined = TermTable.join([entry.tokens for entry in loaded])
    sentences = tuple(s for entry in loaded for s in entry.pieces.sentences)
    documents = tuple(entry.pieces.document for entry in loaded)
    whole = analyse_sentences(Corpus(REAL_DOCS, "", documents, sentences, ()))
    assert joined.vocabulary == whole.vocabulary and joined.starts == whole.starts
    for name in ("ids", "offsets", "kind_ids", "kind_values", "kind_offsets"):
        assert np.array_equal(getattr(joined, name), getattr(whole, name)), name


def test_renumbering_to_another_index_keeps_every_answer(docs_engine: Engine) -> None:
    """The bench's way (an index from term strings, numbered its own way) answers as the engine's way does."""
    corpus = docs_engine.corpus
    table = analyse_sentences(corpus)
    from_strings = Bm25Index([passage_terms(table, p) for p in corpus.passages])
    from_ids = index_from_table(corpus, table, Bm25Params())
    assert sorted(from_strings.vocabulary) == sorted(from_ids.vocabulary)
    ours = Composer(corpus, from_ids, table)
    assert ours.stats.ids is table.ids  # same numbering: the arrays are shared, not copied
    theirs = Composer(corpus, from_strings, table, sentence_vectors=ours.vectors.sentences)
    assert from_strings.vocabulary != from_ids.vocabulary and theirs.stats.ids is not table.ids
    for question in ("How do I install it?", "What does the configuration file hold?", "Which license applies?"):
        assert ours.answer(question) == theirs.answer(question)
