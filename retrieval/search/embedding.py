"""Dense sentence vectors from WordLlama's packaged model: a semantic signal next to BM25.

WordLlama (PyPI ``wordllama``) ships its 256-dimension token embeddings (32000 × 256, fp16) and its
tokenizer inside the wheel. ``WordLlama.load()`` as released looks for ``tokenizer/`` while the wheel
ships ``tokenizers/`` and then tries the network, so the inference object is built here from the two
packaged files: nothing is ever downloaded or written under $HOME.

A text's vector is the mean of its tokens' embeddings, L2-normalised (what ``embed(norm=True)``
does). Sentence vectors are computed once per corpus and kept in fp16 (512 bytes a sentence); a
question is embedded once per answer (~40 µs) and compared with a matrix product.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

DIMENSIONS = 256
_WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
_TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"
_BATCH = 64  # larger batches pad more and are slower (measured)


def _import_wordllama() -> Any:
    """Import wordllama, undoing the ``logging.basicConfig(level=INFO)`` its modules run at import."""
    if "wordllama" in sys.modules:
        return sys.modules["wordllama"]
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return wordllama


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The packaged WordLlama model (``WordLlamaInference``), loaded once per process, offline."""
    wordllama = _import_wordllama()
    from safetensors import safe_open
    from tokenizers import Tokenizer

    package = resources.files("wordllama")
    weights, tokenizer_file = Path(str(package / _WEIGHTS_FILE)), Path(str(package / _TOKENIZER_FILE))
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise FileNotFoundError(f"the wordllama package lacks its model file {path}")
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    with safe_open(str(weights), framework="np", device="cpu") as handle:
        embedding = handle.get_tensor(_TENSOR)
    logger.info("loaded WordLlama %s from the package", embedding.shape)
    return wordllama.WordLlamaInference(embedding, tokenizer, binary=False)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (float32, n × 256); a text with no token gets the zero vector, not NaN."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    raw = np.asarray(load_model().embed(list(texts), norm=False, batch_size=_BATCH), dtype=np.float32)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    return raw / np.maximum(norms, 1e-6)


def is_common_word(word: str) -> bool:
    """Whether a word is common English to the model.

    True when the model's 32k-piece vocabulary holds the lower-cased word whole: a common English
    word ("caught"), not a typo or a rare name ("Madruo", "Beluche") that it splits into pieces.
    """
    pieces = load_model().tokenizer.encode(word.lower(), add_special_tokens=False).tokens
    return len(pieces) == 1


class SentenceVectors:
    """One fp16 unit vector per corpus sentence and per passage, computed at index time."""

    def __init__(
        self,
        sentences: Sequence[str],
        passages: Sequence[Sequence[int]],
        sentence_vectors: np.ndarray | None = None,
    ) -> None:
        """Vectors for ``sentences`` and the passages they make up.

        ``passages[i]`` lists the rows (in ``sentences``) of passage i's sentences; ``sentence_vectors``
        (fp16, from the saved index) spares embedding ``sentences`` again.

        Passage vectors are pooled from the fp16 sentence vectors either way, so a warm start gives
        exactly what a cold one does.
        """
        if sentence_vectors is None:
            sentence_vectors = embed(sentences).astype(np.float16)
        elif len(sentence_vectors) != len(sentences):
            raise ValueError(f"{len(sentence_vectors)} saved sentence vectors for {len(sentences)} sentences")
        self.sentences = np.ascontiguousarray(sentence_vectors, dtype=np.float16)
        dense = self.sentences.astype(np.float32)
        pooled = np.zeros((len(passages), DIMENSIONS), dtype=np.float32)
        for number, rows in enumerate(passages):
            if rows:
                pooled[number] = dense[list(rows)].sum(axis=0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        self.passages = (pooled / np.maximum(norms, 1e-6)).astype(np.float16)

    @property
    def nbytes(self) -> int:
        """Memory the vectors hold: what a corpus pays for the semantic signal."""
        return int(self.sentences.nbytes + self.passages.nbytes)

    def sentence_cosines(self, query: np.ndarray, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Cosines of the question's vector with the given sentence rows."""
        return self.sentences[np.asarray(rows, dtype=np.int64)].astype(np.float32) @ query

    def passage_cosines(self, query: np.ndarray, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Cosines of the question's vector with the given passage rows."""
        return self.passages[np.asarray(rows, dtype=np.int64)].astype(np.float32) @ query

    def best_sentence_cosine(self, query: np.ndarray) -> float:
        """The question's nearest sentence anywhere in the corpus: is it on-topic at all?"""
        if not len(self.sentences):
            return 0.0
        return float((self.sentences @ query.astype(np.float16)).max())
