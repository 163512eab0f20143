"""Dense sentence vectors from WordLlama's packaged model: a semantic signal next to BM25.

WordLlama (PyPI ``wordllama``) ships its 256-dimension token embeddings (32000 × 256, fp16) and its
tokenizer inside the wheel. Only those two files are used, read here directly: ``wordllama`` itself
is never imported (its ``WordLlamaInference`` and imports cost ~48 MB and a float32 copy of the
matrix), and nothing is ever downloaded or written under $HOME. The matrix is memory-mapped from the
wheel's safetensors file, so every process of the bot shares one copy.

A text's vector is the mean of its tokens' embeddings, L2-normalised: what WordLlama's
``embed(norm=True)`` computes (bit for bit), without padding its batches, the sum compiled
(``pooling.py``) for big corpora. The tokenizer's BPE is a whole-sentence BPE (it has no pre-tokenizer), so its
word cache would keep up to 10,000 sentences with their symbol buffers: ~110 MB that glibc never
gives back after embedding 38k sentences. The cache is switched off (it never hits on sentences,
and embedding is no slower without it).

A corpus keeps one packed row per sentence (``VECTOR``: 256 int8 components and a float32 scale,
260 bytes instead of fp16's 512); a question is embedded once per answer (~40 µs) and compared with
the rows its candidates need.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import struct
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer
from tokenizers.models import BPE

logger = logging.getLogger(__name__)

DIMENSIONS = 256
_WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
_TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"
_BATCH = 256  # texts tokenized and pooled at once
_COMPILED_FROM = 20_000  # texts from which compiling the sum repays importing numba
_NORM_BLOCK = 4096  # passages whose norms are computed at once: bounds the unpacked rows (~16 MB)
_SAFETENSORS_DTYPES = {"F16": np.float16, "F32": np.float32}
_BPE_OPTIONS = (
    "dropout",
    "unk_token",
    "continuing_subword_prefix",
    "end_of_word_suffix",
    "fuse_unk",
    "byte_fallback",
    "ignore_merges",
)

# One sentence's vector: int8 components with one scale (component ≈ scale × int8); 260 bytes.
VECTOR = np.dtype([("scale", "<f4"), ("components", "i1", (DIMENSIONS,))])


@dataclass(frozen=True)
class Model:
    """The packaged WordLlama model: token embeddings (fp16, memory-mapped) and their tokenizer."""

    matrix: np.ndarray
    tokenizer: Tokenizer


def _package_dir() -> Path:
    """The installed ``wordllama`` package's folder, found without importing it."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the wordllama package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _mapped_tensor(path: Path, name: str) -> np.ndarray:
    """Memory-map one tensor of a safetensors file (8-byte header length, JSON header, raw data)."""
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    entry = header[name]
    dtype = np.dtype(_SAFETENSORS_DTYPES[entry["dtype"]])
    start, end = entry["data_offsets"]
    shape = tuple(entry["shape"])
    if end - start != dtype.itemsize * int(np.prod(shape)) or 8 + length + end > path.stat().st_size:
        raise ValueError(f"{path} holds a malformed tensor {name!r}")
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + length + start, shape=shape).view(np.ndarray)


def _uncached_tokenizer(path: Path) -> Tokenizer:
    """The packaged tokenizer with its BPE rebuilt without a word cache (see the module docstring)."""
    tokenizer = Tokenizer.from_file(str(path))
    config = json.loads(path.read_text(encoding="utf-8"))["model"]
    if config.get("type") != "BPE":
        raise ValueError(f"{path} is not a BPE tokenizer")
    merges: list[tuple[str, str]] = []
    for merge in config["merges"]:  # "a b" strings (older files) or [a, b] pairs
        left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
        merges.append((left, right))
    options = {key: config[key] for key in _BPE_OPTIONS if config.get(key) is not None}
    tokenizer.model = BPE(config["vocab"], merges, cache_capacity=0, **options)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The packaged WordLlama model, loaded once per process, offline."""
    package = _package_dir()
    weights, tokenizer_file = package / _WEIGHTS_FILE, package / _TOKENIZER_FILE
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise FileNotFoundError(f"the wordllama package lacks its model file {path}")
    model = Model(_mapped_tensor(weights, _TENSOR), _uncached_tokenizer(tokenizer_file))
    if model.matrix.dtype != np.float16 or model.matrix.shape[1] != DIMENSIONS:
        raise ValueError(f"unexpected WordLlama matrix {model.matrix.dtype} {model.matrix.shape}")
    logger.info("loaded WordLlama %s from the package", model.matrix.shape)
    return model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (float32, n × 256); a text with no token gets the zero vector, not NaN."""
    if len(texts) == 1:  # a question, once per answer: the fewest numpy calls (~40 µs)
        model = load_model()
        ids = np.asarray(model.tokenizer.encode(texts[0], add_special_tokens=False).ids, dtype=np.int64)
        rows = model.matrix[np.clip(ids, 0, len(model.matrix) - 1)]
        return _unit_means(rows.astype(np.float32).sum(axis=0, keepdims=True), np.array([len(ids)]))  # as below
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for first, vectors in _embedded_batches(texts):
        out[first : first + len(vectors)] = vectors
    return out


def embed_packed(texts: Sequence[str]) -> np.ndarray:
    """``pack(embed(texts))`` a batch at a time: a corpus's float32 vectors (1 KB a sentence) never exist at once."""
    out = np.zeros(len(texts), dtype=VECTOR)
    for first, vectors in _embedded_batches(texts):
        out[first : first + len(vectors)] = pack(vectors)
    return out


def _embedded_batches(texts: Sequence[str]) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, unit vectors) for each batch of ``texts``."""
    model = load_model()
    last = len(model.matrix) - 1
    sum_rows = _token_sums_in_numpy
    if len(texts) >= _COMPILED_FROM or "numba" in sys.modules:  # see _token_sums_in_numpy
        from retrieval.search.pooling import sum_rows
    for first in range(0, len(texts), _BATCH):
        encodings = model.tokenizer.encode_batch(list(texts[first : first + _BATCH]), add_special_tokens=False)
        counts = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        bounds = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=bounds[1:])
        ids = np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64, count=int(bounds[-1]))
        yield first, _unit_means(sum_rows(model.matrix, np.clip(ids, 0, last), bounds), counts)


def _unit_means(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """WordLlama's mean of the token embeddings, then L2-normalised (zero rows stay zero)."""
    means = sums / np.maximum(counts, 1)[:, None].astype(np.float32)
    return means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-6)


def _token_sums_in_numpy(matrix: np.ndarray, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """``pooling.sum_rows`` without numba, bit for bit (float32, in token order), ~3x slower.

    Importing numba costs ~0.5 s and ~90 MB: a question, or a one-shot command's small folder, is
    summed here unless numba is loaded already (the bot loads it for the index).
    """
    out = np.zeros((len(bounds) - 1, matrix.shape[1]), dtype=np.float32)
    rows = matrix[ids].astype(np.float32)
    for text in np.flatnonzero(np.diff(bounds)).tolist():
        out[text] = rows[bounds[text] : bounds[text + 1]].sum(axis=0)
    return out


def pack(vectors: np.ndarray) -> np.ndarray:
    """Float vectors as ``VECTOR`` rows: each row scaled so its largest component is ±127, rounded."""
    vectors = np.asarray(vectors, dtype=np.float32)
    packed = np.zeros(len(vectors), dtype=VECTOR)
    scales = np.abs(vectors).max(axis=1, initial=0.0) / 127.0
    packed["scale"] = scales
    safe = np.where(scales > 0, scales, 1.0)[:, None]
    packed["components"] = np.rint(vectors / safe).astype(np.int8)
    return packed


def unpack(packed: np.ndarray) -> np.ndarray:
    """``VECTOR`` rows as float32 vectors (what the cosines are computed with)."""
    return packed["components"].astype(np.float32) * packed["scale"][:, None]


def is_common_word(word: str) -> bool:
    """Whether a word is common English to the model.

    True when the model's 32k-piece vocabulary holds the lower-cased word whole: a common English
    word ("caught"), not a typo or a rare name ("Madruo", "Beluche") that it splits into pieces.
    """
    pieces = load_model().tokenizer.encode(word.lower(), add_special_tokens=False).tokens
    return len(pieces) == 1


class SentenceVectors:
    """One packed vector per corpus sentence, and one float32 norm per passage.

    A passage's vector is the normalised sum of its sentences' vectors. Every sentence of a
    candidate passage is a candidate too, so its cosine is the sum of its sentences' dot products
    with the question over the norm of that sum: one float32 a passage instead of a vector.
    """

    def __init__(
        self,
        sentences: Sequence[str],
        passages: Sequence[Sequence[int]],
        sentence_vectors: np.ndarray | None = None,
    ) -> None:
        """Vectors for ``sentences`` and the passages they make up.

        ``passages[i]`` lists the rows (in ``sentences``) of passage i's sentences, consecutive;
        ``sentence_vectors`` (``VECTOR`` rows, from the saved index) spares embedding ``sentences`` again.
        Passage norms are computed from the packed rows either way, so a warm start gives exactly what
        a cold one does.
        """
        if sentence_vectors is None:
            sentence_vectors = embed_packed(sentences)
        elif len(sentence_vectors) != len(sentences) or sentence_vectors.dtype != VECTOR:
            found = f"{len(sentence_vectors)} saved sentence vectors ({sentence_vectors.dtype})"
            raise ValueError(f"{found} for {len(sentences)} sentences")
        self.sentences = np.ascontiguousarray(sentence_vectors)
        self.passage_starts, self.passage_stops = _row_bounds(passages)
        self.passage_norms = np.zeros(len(passages), dtype=np.float32)
        for first in range(0, len(passages), _NORM_BLOCK):
            starts = self.passage_starts[first : first + _NORM_BLOCK]
            stops = self.passage_stops[first : first + _NORM_BLOCK]
            filled = stops > starts
            if filled.any():
                low, high = int(starts[filled][0]), int(stops[filled][-1])
                dense = unpack(self.sentences[low:high])
                sums = _segment_sums(dense, np.where(filled, starts - low, 0), np.where(filled, stops - low, 0))
                self.passage_norms[first : first + len(starts)] = np.linalg.norm(sums, axis=1)

    @property
    def nbytes(self) -> int:
        """Memory the vectors hold: what a corpus pays for the semantic signal."""
        return int(self.sentences.nbytes + self.passage_norms.nbytes + 2 * self.passage_starts.nbytes)

    def sentence_cosines(self, query: np.ndarray, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Cosines of the question's vector with the given sentence rows."""
        picked = self.sentences[np.asarray(rows, dtype=np.int64)]
        return (picked["components"].astype(np.float32) @ np.asarray(query, dtype=np.float32)) * picked["scale"]

    def passage_cosines(self, query: np.ndarray, numbers: Sequence[int] | np.ndarray) -> np.ndarray:
        """Cosines of the question's vector with the given passages (numbers may repeat, e.g. once per sentence)."""
        numbers = np.asarray(numbers, dtype=np.int64)
        if not len(numbers):
            return np.zeros(0, dtype=np.float32)
        firsts = np.flatnonzero(np.concatenate(([True], numbers[1:] != numbers[:-1])))  # runs of one passage
        wanted = numbers[firsts]
        starts, stops = self.passage_starts[wanted], self.passage_stops[wanted]
        lengths = stops - starts
        offsets = np.cumsum(lengths) - lengths  # where each run's rows begin in ``rows``
        rows = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        dots = np.zeros(len(wanted), dtype=np.float32)
        filled = lengths > 0
        if filled.any():  # the non-empty runs tile ``rows``: reduceat sums each one
            dots[filled] = np.add.reduceat(self.sentence_cosines(query, rows), offsets[filled])
        norms = self.passage_norms[wanted]
        cosines = np.divide(dots, norms, out=np.zeros(len(wanted), dtype=np.float32), where=norms > 0)
        return np.repeat(cosines, np.diff(np.append(firsts, len(numbers))))


def _row_bounds(passages: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Each passage's first row and the row after its last (int32); its rows must be consecutive."""
    starts = np.zeros(len(passages), dtype=np.int32)
    stops = np.zeros(len(passages), dtype=np.int32)
    for number, rows in enumerate(passages):
        if isinstance(rows, range) and rows.step == 1:
            starts[number], stops[number] = rows.start, max(rows.start, rows.stop)
        elif len(rows):
            if list(rows) != list(range(rows[0], rows[0] + len(rows))):
                raise ValueError(f"passage {number}'s sentence rows are not consecutive")
            starts[number], stops[number] = rows[0], rows[0] + len(rows)
    filled = stops > starts
    if np.any(starts[filled][1:] < stops[filled][:-1]):
        raise ValueError("passages' sentence rows must follow the passages' order without overlapping")
    return starts, stops


def _segment_sums(values: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Sums (float32) of ``values[start:stop]`` per segment; segments in order, not overlapping; empty ones 0."""
    sums = np.zeros((len(starts), *values.shape[1:]), dtype=np.float32)
    filled = np.flatnonzero(stops > starts)
    if len(filled):
        # reduceat sums values[i[k]:i[k+1]]: interleaving starts and stops makes the even results the segments
        bounds = np.stack([starts[filled], stops[filled]], axis=1).ravel()
        bounds = bounds[:-1] if bounds[-1] >= len(values) else bounds
        sums[filled] = np.add.reduceat(values, bounds, axis=0, dtype=np.float32)[::2]
    return sums
