"""WordLlama loads from the files inside its package: no network, nothing written under $HOME."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from retrieval.search import embedding, pooling


def test_model_loads_and_embeds_with_networking_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("networking is unavailable in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedding.load_model.cache_clear()
    vectors = embedding.embed(["The strike destroyed the port.", "No one was killed at the dock.", ""])
    assert vectors.shape == (3, embedding.DIMENSIONS) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, rtol=1e-5)
    assert not vectors[2].any()  # a text without tokens gets zeros, not NaN
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ embedding.embed(["A recipe for sourdough."])[0])
    assert list(tmp_path.iterdir()) == []


SENTENCES = [
    "Rivers flow to the sea.",
    "The Rhine ends in the North Sea.",
    "Basel lies on the Rhine.",
    "Bread needs flour, water and salt.",
    "It rises overnight.",
]


def test_vectors_are_the_normalised_mean_of_the_packaged_token_embeddings() -> None:
    model = embedding.load_model()
    assert "wordllama" not in sys.modules  # only its files are read: the package is never imported
    packaged = Tokenizer.from_file(str(embedding._package_dir() / embedding._TOKENIZER_FILE))
    for text, vector in zip(SENTENCES, embedding.embed(SENTENCES), strict=True):
        ids = packaged.encode(text, add_special_tokens=False).ids
        assert model.tokenizer.encode(text, add_special_tokens=False).ids == ids  # same pieces, no cache
        mean = model.matrix[ids].astype(np.float64).mean(axis=0)
        np.testing.assert_allclose(vector, mean / np.linalg.norm(mean), atol=1e-6)


def test_the_compiled_and_numpy_token_sums_agree_bit_for_bit() -> None:
    model = embedding.load_model()
    encodings = model.tokenizer.encode_batch([*SENTENCES, "", "The Rhine " * 80], add_special_tokens=False)
    ids = np.asarray([i for e in encodings for i in e.ids], dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum([len(e.ids) for e in encodings])))
    compiled = pooling.sum_rows(model.matrix, ids, bounds)
    assert np.array_equal(compiled, embedding._token_sums_in_numpy(model.matrix, ids, bounds))
    assert not compiled[len(SENTENCES)].any()
    one_by_one = np.concatenate([embedding.embed([text]) for text in SENTENCES])  # a question's shorter path
    assert np.array_equal(one_by_one, embedding.embed(SENTENCES))


def test_packed_vectors_keep_cosines_and_passages_pool_their_sentences() -> None:
    exact = embedding.embed(SENTENCES)
    vectors = embedding.SentenceVectors(SENTENCES, [range(0, 3), [], range(3, 5)])
    assert np.array_equal(vectors.sentences, embedding.pack(exact))  # packed a batch at a time, same rows
    assert vectors.sentences.dtype == embedding.VECTOR and vectors.sentences.itemsize == embedding.DIMENSIONS + 4
    assert vectors.nbytes == 5 * (embedding.DIMENSIONS + 4) + 3 * 12
    query = embedding.embed(["Where does the Rhine end?"])[0]
    cosines = vectors.sentence_cosines(query, range(5))
    np.testing.assert_allclose(cosines, exact @ query, atol=3e-3)
    assert cosines[1] == max(cosines)
    dense = embedding.unpack(vectors.sentences)
    pooled = [dense[0:3].sum(axis=0), dense[3:5].sum(axis=0)]
    expected = [float(p @ query / np.linalg.norm(p)) for p in pooled]
    passages = vectors.passage_cosines(query, [2, 0, 1, 0])
    np.testing.assert_allclose(passages, [expected[1], expected[0], 0.0, expected[0]], rtol=1e-5)
    assert vectors.passage_cosines(query, []).shape == (0,)


def test_saved_vectors_are_used_as_they_are_and_checked() -> None:
    packed = embedding.pack(embedding.embed(SENTENCES[:2]))
    vectors = embedding.SentenceVectors(["not embedded", "again"], [[0, 1]], sentence_vectors=packed)
    assert np.array_equal(vectors.sentences, packed)
    with pytest.raises(ValueError, match="saved sentence vectors"):
        embedding.SentenceVectors(SENTENCES[:2], [[0, 1]], sentence_vectors=packed[:1])
    with pytest.raises(ValueError, match="not consecutive"):
        embedding.SentenceVectors(SENTENCES[:2], [[1, 0]], sentence_vectors=packed)


def test_packing_rounds_each_row_to_its_own_scale() -> None:
    rows = np.array([[0.5, -0.25, 0.0], [0.0, 0.0, 0.0], [1e-3, 2e-3, -4e-3]], dtype=np.float32)
    packed = embedding.pack(np.pad(rows, ((0, 0), (0, embedding.DIMENSIONS - 3))))
    assert packed["components"][0, :3].tolist() == [127, -64, 0] and packed["components"][2, 2] == -127
    assert not packed["components"][1].any() and packed["scale"][1] == 0.0
    error = np.abs(embedding.unpack(packed)[:, :3] - rows)
    assert np.all(error <= packed["scale"][:, None] / 2 + 1e-9)  # at most half a step of the row's own scale


def test_common_words_are_single_pieces_and_typos_are_not() -> None:
    assert embedding.is_common_word("caught")
    assert not embedding.is_common_word("Madruo")
