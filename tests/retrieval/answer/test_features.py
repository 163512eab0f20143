"""The vectorised feature builder against a plain per-sentence reference, on real corpora."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from retrieval.answer.composer import CANDIDATE_PASSAGES, Composer, _names
from retrieval.answer.features import CONTEXT_PARAGRAPHS, FEATURES, Question, analyse_question
from retrieval.engine import Engine
from retrieval.search.embedding import embed
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parents[2] / "data"


def reference_rows(composer: Composer, question: Question, top: list[tuple[int, float]]) -> np.ndarray:
    """The features computed sentence by sentence from term strings, as the builder did before numpy."""
    stats, index, corpus = composer.stats, composer.index, composer.corpus
    features = composer.features
    wanted, weights, total = question.weights.keys(), question.weights, question.total_weight
    params = index.params

    def bm25(row: int) -> float:
        terms = stats.terms(row)
        norm = params.k1 * (1 - params.b + params.b * len(terms) / stats.average_length)
        found = 0.0
        for term, weight in question.counts:
            count = terms.count(term)
            if count:
                found += weight * count * (params.k1 + 1) / (count + norm)
        return found / question.best_possible

    def context_terms(number: int) -> set[str]:
        passage, found = corpus.passages[number], set()
        for step in (-1, 1):
            other = number + step
            while 0 <= other < len(corpus.passages):
                near = corpus.passages[other]
                if near.doc_id != passage.doc_id or abs(near.paragraph - passage.paragraph) > CONTEXT_PARAGRAPHS:
                    break
                found |= stats.passage_terms(other)
                other += step
        return found

    out = []
    for number, passage_score in top:
        context = features.titles[corpus.passages[number].doc_id]
        if question.names - stats.passage_terms(number):
            context = context | (question.names & context_terms(number))
        for row in stats.passage_rows[number]:
            terms = stats.terms(row)
            present = wanted & set(terms)
            around = wanted & (stats.passage_terms(number) | context)
            neighbours = [bm25(other) for other in (row - 1, row + 1) if stats.same_paragraph(row, other)]
            possible = {pair for pair in question.bigrams if pair[0] in present and pair[1] in present}
            adjacent = len(possible & set(pairwise(terms)))
            distinct = len(set(terms))
            typed = question.kind and any(
                kind & question.kind and term not in weights for term, kind in stats.table.kinds(row)
            )
            out.append(
                [
                    sum(weights[t] for t in present) / total,
                    sum(weights[t] for t in around) / total,
                    min(1.0, bm25(row)),
                    min(1.0, passage_score / question.best_possible),
                    min(1.0, max(neighbours, default=0.0)),
                    adjacent / len(question.bigrams) if question.bigrams else 0.0,
                    (distinct - len(present)) / distinct if distinct else 0.0,
                    float(bool(typed)),
                ]
            )
    return np.asarray(out, dtype=np.float64).reshape(-1, len(FEATURES) - 2)


def _questions(path: Path, key: str, limit: int) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)[key] for line in lines if line.strip()][:limit]


@pytest.mark.parametrize(
    ("folder", "questions"),
    [
        (SEEDS, DATA / "dev_questions.jsonl"),
        (DATA / "rhine" / "corpus", DATA / "rhine" / "questions.jsonl"),
    ],
)
def test_vectorised_features_equal_the_per_sentence_reference(folder: Path, questions: Path) -> None:
    composer = Engine.load(folder).composer
    asked = [*_questions(questions, "q", 60), "Who met Maduro in Caracas?", "When did the Rhine flood Cologne?"]
    checked = typed = named = 0
    for text in asked:
        _, _, searched, tokens = composer.prepare(text)
        question = analyse_question(searched, tokens, composer.index, embed([searched])[0], _names(tokens, searched))
        top = composer.index.top(list(question.terms), CANDIDATE_PASSAGES)
        rows, passages, features = composer.features.rows(question, top)
        expected = reference_rows(composer, question, top)
        assert rows.tolist() == [row for number, _ in top for row in composer.stats.passage_rows[number]]
        assert passages.tolist() == [number for number, _ in top for _ in composer.stats.passage_rows[number]]
        np.testing.assert_allclose(features[:, : expected.shape[1]], expected, rtol=0, atol=1e-9)
        checked += len(rows)
        typed += int(features[:, 7].any())
        named += bool(question.names)
    assert checked > 1000 and typed and named  # every signal was exercised, names and typed answers included


def test_counts_follow_the_question_order_and_skip_unknown_terms(seed_engine: Engine) -> None:
    composer = seed_engine.composer
    text = "Maduro zzqxunknownword Maduro Caracas"
    _, _, searched, tokens = composer.prepare(text)
    question = analyse_question(searched, tokens, composer.index, embed([searched])[0], frozenset())
    top = composer.index.top(list(question.terms), CANDIDATE_PASSAGES)
    rows, _, features = composer.features.rows(question, top)
    expected = reference_rows(composer, question, top)
    np.testing.assert_allclose(features[:, :8], expected, rtol=0, atol=1e-9)
    assert Counter(question.terms)[question.terms[0]] == 2 and len(rows)
