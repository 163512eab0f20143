"""The BM25 index: scores pinned to rank-bm25's, top-k consistent with the full ranking."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from retrieval.search.index import Bm25Index, Bm25Params


def _corpus(seed: int) -> tuple[list[list[str]], list[str]]:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(400)]
    docs = [[rng.choice(vocabulary[: rng.randint(5, 400)]) for _ in range(rng.randint(0, 50))] for _ in range(600)]
    return docs, vocabulary


@pytest.mark.parametrize(
    ("params", "reference"),
    [
        (Bm25Params(), lambda d, p: BM25Plus(d, k1=p.k1, b=p.b, delta=p.delta)),
        (Bm25Params(variant="okapi", k1=1.5, b=0.75), lambda d, p: BM25Okapi(d, k1=p.k1, b=p.b, epsilon=p.epsilon)),
    ],
)
def test_scores_match_rank_bm25_on_random_queries(params: Bm25Params, reference: Callable) -> None:
    docs, vocabulary = _corpus(7)
    ours, theirs = Bm25Index(docs, params), reference(docs, params)
    rng = random.Random(11)
    for _ in range(100):
        query = [rng.choice([*vocabulary, "never-seen"]) for _ in range(rng.randint(1, 7))]
        expected = theirs.get_scores(query)
        np.testing.assert_allclose(ours.scores(query), expected, rtol=1e-9, atol=1e-9)
        top = ours.top(query, 10)
        held = [i for i in sorted(range(len(docs)), key=lambda i: (-expected[i], i)) if set(query) & set(docs[i])]
        assert [i for i, _ in top] == held[:10]
        np.testing.assert_allclose([s for _, s in top], expected[held[:10]])


def test_top_breaks_ties_by_passage_order() -> None:
    index = Bm25Index([["a", "b"], ["a", "b"], ["a", "b"], ["c"]])
    assert [i for i, _ in index.top(["a"], 2)] == [0, 1]


def test_unknown_terms_and_empty_queries_find_nothing() -> None:
    index = Bm25Index([["a"], ["b"]])
    assert index.top(["zzz"], 5) == [] and index.top([], 5) == []
    assert index.idf("zzz") > index.idf("a") > 0


def test_an_index_of_empty_passages_does_not_divide_by_zero() -> None:
    index = Bm25Index([[], []])
    assert index.top(["a"], 3) == []
    assert np.isfinite(index.scores(["a"])).all()
