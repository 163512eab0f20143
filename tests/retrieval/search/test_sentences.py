"""Index-time sentence statistics kept compact: shared term tuples, passage sets built on demand."""

from __future__ import annotations

import io
import pickle
import sys

from retrieval.answer.composer import SentenceTerms, analyse_sentence, analyse_sentences
from retrieval.answer.features import sentence_kinds
from retrieval.cache import _Pickler
from retrieval.engine import Engine, prepare_file
from retrieval.search.sentences import PASSAGE_SETS, SentenceStats
from retrieval.text.analysis import fold_for_tokens, tokenize
from tests.retrieval.conftest import REAL_DOCS


def test_a_sentence_keeps_its_terms_and_kinds_not_its_tokens() -> None:
    text = "In May 1998 the Ministry paid 40 million to Kamina Port."
    tokens = tokenize(fold_for_tokens(text))
    analysed = analyse_sentence(text)
    assert analysed == SentenceTerms(tuple(t.term for t in tokens), sentence_kinds(text, tokens))
    again = analyse_sentence("Kamina Port was paid in 1998.")
    shared = set(analysed.terms) & set(again.terms)
    assert shared and all(
        next(t for t in analysed.terms if t == term) is next(t for t in again.terms if t == term) for term in shared
    )


def test_passage_sets_are_built_on_demand_and_bounded(docs_engine: Engine) -> None:
    corpus = docs_engine.corpus
    stats = SentenceStats(corpus.sentences, corpus.passages, analyse_sentences(corpus))
    assert not hasattr(stats, "row_of")
    for number in range(len(corpus.passages)):
        expected = {term for row in stats.passage_rows[number] for term in stats.terms[row]}
        assert stats.passage_terms(number) == expected
        assert len(stats._passage_sets) <= PASSAGE_SETS
    assert stats.passage_terms(0) is stats.passage_terms(0)


def test_a_saved_file_comes_back_with_interned_terms() -> None:
    path = next(p for p in sorted(REAL_DOCS.iterdir()) if p.suffix == ".md")
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(prepare_file(path, {}))
    loaded = pickle.loads(buffer.getvalue())
    terms = [term for sentence in loaded.tokens.values() for term in sentence.terms]
    assert terms and all(term is sys.intern(term) for term in terms)
