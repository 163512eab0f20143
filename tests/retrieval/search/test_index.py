"""The BM25 index: scores pinned to rank-bm25's, top-k consistent with the full ranking."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from retrieval.search.index import COMPILED_MIN_PASSAGES, Bm25Index, Bm25Params, numpy_top_k
from retrieval.search.kernel import top_k

FLOAT32 = 1e-6


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
        # Impacts are float32: equal to rank-bm25's float64 scores within float32 precision.
        np.testing.assert_allclose(ours.scores(query), expected, rtol=FLOAT32, atol=FLOAT32)
        top = ours.top(query, 10)
        held = [i for i in sorted(range(len(docs)), key=lambda i: (-expected[i], i)) if set(query) & set(docs[i])]
        assert [i for i, _ in top] == held[:10]
        np.testing.assert_allclose([s for _, s in top], expected[held[:10]], rtol=FLOAT32)


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


def test_top_k_agrees_with_a_full_sort_for_every_k_and_on_rebuilt_arrays() -> None:
    docs, vocabulary = _corpus(5)
    index = Bm25Index(docs)
    again = Bm25Index.from_arrays(index.params, index.vocabulary, index.arrays)
    rng = random.Random(2)
    for k in (1, 2, 7, 600, 1000):
        query = [rng.choice(vocabulary) for _ in range(3)]
        scores = index.scores(query)
        held = [i for i in sorted(range(len(docs)), key=lambda i: (-scores[i], i)) if set(query) & set(docs[i])]
        assert [i for i, _ in index.top(query, k)] == held[:k]
        assert again.top(query, k) == index.top(query, k)


def test_repeated_query_terms_count_as_often_as_written() -> None:
    docs, _ = _corpus(9)
    index, reference = Bm25Index(docs), BM25Plus(docs, k1=1.2, b=0.3, delta=1.0)
    query = ["w1", "w1", "w2"]
    top = index.top(query, 5)
    np.testing.assert_allclose([s for _, s in top], reference.get_scores(query)[[i for i, _ in top]], rtol=FLOAT32)


@pytest.mark.parametrize("prune", [False, True])
def test_the_numpy_fallback_ranks_exactly_as_the_compiled_kernel(prune: bool) -> None:
    docs, vocabulary = _corpus(13)
    index = Bm25Index(docs)
    arrays = index.arrays
    known = [term for term in vocabulary if index.knows(term)]
    rng = random.Random(4)
    for k in (1, 2, 5, 24, 50, 700):
        for _ in range(20):  # frequent and rare terms: some queries prune, some cannot
            ids = sorted({index.vocabulary.index(rng.choice(known[: rng.choice([20, 400])])) for _ in range(4)})
            terms = np.asarray(ids, dtype=np.int64)
            weights = np.asarray([rng.randint(1, 2) for _ in ids], dtype=np.float64)
            bounds = weights * index._term_max[terms] if prune else np.zeros(0)
            scratch = np.zeros(index.size), np.zeros(index.size, dtype=np.uint8)
            compiled = top_k(arrays.indptr, arrays.indices, arrays.impacts, terms, weights, bounds, k, *scratch)
            fallback = numpy_top_k(arrays.indptr, arrays.indices, arrays.impacts, terms, weights, bounds, k, *scratch)
            assert compiled[0].tolist() == fallback[0].tolist()
            np.testing.assert_allclose(compiled[1], fallback[1], rtol=1e-12)
            assert not scratch[0].any() and not scratch[1].any()  # the kernel leaves its buffers zeroed


def test_only_large_indexes_load_the_compiled_kernel() -> None:
    assert not Bm25Index([["a"]] * 3).load_kernel()
    large = Bm25Index([["a", "b"], ["b"]] * (COMPILED_MIN_PASSAGES // 2))
    before = large.top(["a", "b"], 3)
    assert large.load_kernel()
    assert large.top(["a", "b"], 3) == before


def test_an_index_from_term_ids_scores_as_one_from_strings() -> None:
    """Terms numbered elsewhere (a vocabulary with terms no passage holds) index to the same scores."""
    docs, vocabulary = _corpus(3)
    extended = ["never-in-a-passage", *reversed(vocabulary), "also-absent"]
    numbers = {term: number for number, term in enumerate(extended)}
    ids = np.asarray([numbers[term] for doc in docs for term in doc], dtype=np.int32)
    lengths = np.asarray([len(doc) for doc in docs], dtype=np.int64)
    from_ids = Bm25Index.from_term_ids(ids, lengths, extended)
    from_strings = Bm25Index(docs)
    assert sorted(from_ids.vocabulary) == sorted(from_strings.vocabulary)
    assert not from_ids.knows("never-in-a-passage") and not from_ids.knows("also-absent")
    rng = random.Random(5)
    for _ in range(50):
        query = [rng.choice(vocabulary) for _ in range(rng.randint(1, 5))]
        np.testing.assert_allclose(from_ids.scores(query), from_strings.scores(query), rtol=FLOAT32, atol=FLOAT32)
        ours, theirs = from_ids.top(query, 10), from_strings.top(query, 10)
        assert [n for n, _ in ours] == [n for n, _ in theirs]
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=FLOAT32)
    with pytest.raises(ValueError, match="empty corpus"):
        Bm25Index.from_term_ids(ids[:0], lengths[:0], extended)
