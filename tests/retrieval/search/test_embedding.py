"""WordLlama loads from the files inside its package: no network, nothing written under $HOME."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from retrieval.search import embedding


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


def test_sentence_vectors_are_fp16_and_passages_pool_their_sentences() -> None:
    vectors = embedding.SentenceVectors(["Rivers flow to the sea.", "The Rhine ends in the North Sea."], [[0, 1]])
    assert vectors.sentences.dtype == np.float16 and vectors.passages.dtype == np.float16
    assert vectors.nbytes == 3 * embedding.DIMENSIONS * 2
    query = embedding.embed(["Where does the Rhine end?"])[0]
    cosines = vectors.sentence_cosines(query, [0, 1])
    assert cosines[1] > cosines[0]
    assert -1.0 <= float(vectors.passage_cosines(query, [0])[0]) <= 1.0


def test_common_words_are_single_pieces_and_typos_are_not() -> None:
    assert embedding.is_common_word("caught")
    assert not embedding.is_common_word("Madruo")
