"""The one object every interface holds: a loaded corpus, its index and its composer.

An Engine is immutable; reloading the corpus builds a new Engine and the caller swaps the
reference, so a question in flight finishes on the corpus it started with.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.answer.composer import Composer, analyse_sentences
from retrieval.answer.spelling import word_counts
from retrieval.cache import FileCache, collector_paused
from retrieval.corpus.links import quote_url
from retrieval.corpus.loader import Corpus, FilePieces, assemble_corpus, document_files, read_pieces
from retrieval.corpus.readers import Unreadable, accepted_suffixes
from retrieval.corpus.sections import field_terms
from retrieval.models import Answer, Quote, SkippedFile
from retrieval.search.embedding import embed_packed
from retrieval.search.index import Bm25Index, Bm25Params
from retrieval.search.saved import load_index, save_index
from retrieval.search.sentences import TermTable

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (files done, files in all, the file just done)


@dataclass(frozen=True)
class PreparedFile:
    """One file read, cut and analysed: the unit the saved index stores (see retrieval/cache.py).

    ``tokens`` are its sentences' terms and typed terms as a ``TermTable`` over the file's own small
    vocabulary (a few arrays, no object per sentence: cheap to save and to load), joined into the corpus's
    table at assembly. ``vectors`` are its sentences' WordLlama vectors (packed int8 rows, one per sentence,
    in order), so a warm start maps them in instead of embedding every sentence again. ``words`` are its sentences'
    word counts (the Speller's vocabulary), so a start adds counts up instead of scanning every sentence.
    """

    pieces: FilePieces
    tokens: TermTable
    vectors: np.ndarray
    words: dict[str, int]


def prepare_file(path: Path, meta: Mapping[str, Any]) -> PreparedFile:
    """Read, cut, analyse and embed one file; raises Unreadable (with the reason) when it cannot be read."""
    pieces = read_pieces(path, meta)
    alone = Corpus(path.parent, "", (pieces.document,), pieces.sentences, pieces.passages)
    vectors = embed_packed(list(pieces.sentences.texts()))
    words = dict(word_counts(pieces.sentences.texts()))
    return PreparedFile(pieces, analyse_sentences(alone), vectors, words)


def prepare_or_skip(path: Path, meta: Mapping[str, Any]) -> PreparedFile | SkippedFile:
    """``prepare_file``, or the file named with the reason it cannot be used.

    What the saved index stores per file: a skip depends only on the file's bytes and the code too, so
    it is remembered like a result (a fixed file has other bytes, hence another key, and is read again).
    """
    try:
        return prepare_file(path, meta)
    except Unreadable as error:
        return SkippedFile(path.name, str(error))


SavedFiles = FileCache[PreparedFile | SkippedFile]


def new_file_cache(cache_dir: Path) -> SavedFiles:
    """The saved index under ``cache_dir``; keep one per process so reloads reuse unchanged files."""
    return FileCache(cache_dir, prepare_or_skip)


Listing = tuple[list[Path], dict[str, dict[str, Any]], list[SkippedFile]]  # what ``document_files`` returns


def folder_keys(listing: Listing, cache: SavedFiles) -> tuple[str, ...]:
    """The keys naming a folder's content (its ``document_files`` listing) for the saved index, reading no result.

    Each file's cache key (``unreadable:`` when it cannot be hashed), then ``unsupported:`` for the files no
    reader accepts; equal keys mean an unchanged corpus. Hashing is remembered per file's size and
    modification time, so only changed files are read to compute them.
    """
    paths, metadata, unsupported = listing
    keys: list[str] = []
    for path in paths:
        try:
            keys.append(cache.key(path, metadata.get(path.stem, {})))
        except OSError:
            keys.append(f"unreadable:{path.name}")
    cache.forget_except(set(keys))
    return (*keys, *(f"unsupported:{file.name}" for file in unsupported))


def prepare_folder(
    listing: Listing, cache: SavedFiles | None = None, progress: Progress | None = None
) -> list[PreparedFile | SkippedFile]:
    """Every file of a folder's listing prepared (through the saved index when there is one) or skipped with why."""
    paths, metadata, unsupported = listing
    prepared: list[PreparedFile | SkippedFile] = []
    for number, path in enumerate(paths, 1):
        meta = metadata.get(path.stem, {})
        entry = prepare_or_skip(path, meta) if cache is None else cache.get(path, meta)
        if isinstance(entry, SkippedFile):
            logger.warning("skipping %s: %s", entry.name, entry.reason)
        prepared.append(entry)
        if progress is not None:
            progress(number, len(paths), path.name)
    prepared.extend(unsupported)
    return prepared


def _saved_or_built_index(
    corpus: Corpus, tokens: TermTable, cache: SavedFiles | None, keys: tuple[str, ...]
) -> Bm25Index:
    """The index arrays, from the saved index or built.

    The index arrays mapped from the saved index when these exact files were indexed before, else built
    (and saved for next time). Keyed by the files' keys, which include the code version.
    """
    params = Bm25Params()
    folder = None
    if cache is not None:
        digest = hashlib.sha256(f"{cache.version}\0{params}\0".encode() + "\n".join(keys).encode())
        folder = cache.root / "index" / digest.hexdigest()[:32]
        saved = load_index(folder, params)
        if saved is not None:
            return saved
    index = index_from_table(corpus, tokens, params)
    if folder is not None:
        save_index(index, folder)
    return index


def index_from_table(corpus: Corpus, table: TermTable, params: Bm25Params) -> Bm25Index:
    """The passage index from the corpus's term table: each passage's sentence ids, then its fields' terms.

    Numbered like the table (field terms no sentence holds come after it), so the composer shares the
    arrays instead of renumbering them.
    """
    numbers: dict[str, int] | None = None
    vocabulary = table.vocabulary
    pieces: list[np.ndarray] = []
    lengths = np.zeros(len(corpus.passages), dtype=np.int64)
    for number, passage in enumerate(corpus.passages):
        rows = table.passage_rows(passage)
        ids = table.ids[table.offsets[rows.start] : table.offsets[rows.stop]]
        fields = field_terms(passage)
        if fields:
            if numbers is None:
                vocabulary = list(vocabulary)
                numbers = {term: number for number, term in enumerate(vocabulary)}
            for term in fields:
                if numbers.setdefault(term, len(vocabulary)) == len(vocabulary):
                    vocabulary.append(term)
            ids = np.concatenate([ids, np.fromiter(map(numbers.__getitem__, fields), np.int32, len(fields))])
        pieces.append(ids)
        lengths[number] = len(ids)
    term_ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    return Bm25Index.from_term_ids(term_ids, lengths, vocabulary, params)


def release_freed_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``; a no-op elsewhere).

    The index build's temporary arrays and term lists are freed, but glibc keeps the pages: at 50k
    passages about 120 MB stayed in the process for nothing.
    """
    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


@dataclass(frozen=True)
class Engine:
    """A loaded corpus, its index and its composer, and how long building them took."""

    corpus: Corpus
    index: Bm25Index
    composer: Composer
    build_seconds: float
    source_keys: tuple[str, ...] = ()  # the saved index's keys of the files it was built from, when cached

    @classmethod
    @collector_paused
    def load(
        cls,
        corpus_dir: Path,
        *,
        base_url: str | None = None,
        label: str | None = None,
        cache: SavedFiles | None = None,
        previous: Engine | None = None,
        progress: Progress | None = None,
    ) -> Engine:
        """Load and index a corpus folder. Raises ValueError when it holds no readable document.

        With a ``cache``, files are read from the saved index when unchanged, and ``previous`` is
        returned as it is when no file, metadata or setting changed since it was built.
        """
        started = time.perf_counter()
        listing = document_files(Path(corpus_dir))  # listed once: the keys and the reading share it
        keys: tuple[str, ...] = ()
        if cache is not None:
            cache.reset_stats()
            keys = folder_keys(listing, cache)
        if (
            previous is not None
            and keys
            and keys == previous.source_keys
            and (base_url, label or Path(corpus_dir).name) == (previous.composer.base_url, previous.corpus.label)
        ):
            logger.info("corpus unchanged (%s): keeping the loaded index", previous.version)
            return previous
        prepared = prepare_folder(listing, cache, progress)
        corpus = assemble_corpus(
            Path(corpus_dir), label, [f.pieces if isinstance(f, PreparedFile) else f for f in prepared]
        )
        if not corpus.passages:
            skipped = "; ".join(f"{s.name} ({s.reason})" for s in corpus.skipped[:5])
            raise ValueError(
                f"no readable documents in {corpus_dir} (accepted: {', '.join(accepted_suffixes())})"
                + (f"; skipped: {skipped}" if skipped else "")
            )
        files = [entry for entry in prepared if isinstance(entry, PreparedFile)]
        tokens = TermTable.join([entry.tokens for entry in files])
        vectors = np.concatenate([entry.vectors for entry in files])
        words: Counter[str] = Counter()
        for entry in files:
            words.update(entry.words)
        del prepared, files
        index = _saved_or_built_index(corpus, tokens, cache, keys)
        composer = Composer(corpus, index, tokens, base_url, sentence_vectors=vectors, word_counts=words)
        release_freed_memory()
        elapsed = time.perf_counter() - started
        logger.info(
            "indexed %d documents, %d passages in %.0f ms (corpus %s; sentence vectors %.1f MB; reranker %s%s)",
            len(corpus.documents),
            len(corpus.passages),
            elapsed * 1000,
            corpus.version,
            composer.vectors.nbytes / 2**20,
            composer.reranker.version,
            f"; saved index: {cache.stats}" if cache is not None else "",
        )
        return cls(corpus=corpus, index=index, composer=composer, build_seconds=elapsed, source_keys=keys)

    @property
    def version(self) -> str:
        """The corpus version (a hash of its files)."""
        return self.corpus.version

    def ask(self, question: str) -> Answer:
        """Quote the corpus on ``question``, or refuse and say why."""
        return self.composer.answer(question)

    def sources(self) -> list[dict[str, Any]]:
        """The `corpusbot sources --json` records, one per document."""
        counts: dict[str, int] = {}
        for passage in self.corpus.passages:
            counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
        records = []
        for document in self.corpus.documents:
            first_line = document.line_of(document.body_start)
            records.append(
                {
                    "doc_id": document.doc_id,
                    "title": document.title,
                    "date": document.date.isoformat() if document.date else None,
                    "date_inferred": document.date_inferred,
                    "url": quote_url(
                        document,
                        document.title,
                        first_line,
                        document.line_of(len(document.text)),
                        base_url=self.composer.base_url,
                        corpus_label=self.corpus.label,
                    ),
                    "passages": counts.get(document.doc_id, 0),
                    "sentences": len(self.corpus.sentences_of(document.doc_id)),
                    "sha256": document.sha256,
                }
            )
        return records

    def quote_at(self, doc_id: str, start: int, end: int) -> Quote | None:
        """The quote at a span of a document, or None when this corpus has no such span (e.g. after a reload)."""
        try:
            document = self.corpus.document(doc_id)
        except KeyError:
            return None
        if not (document.body_start <= start < end <= len(document.text)):
            return None
        return self.composer.make_quote(document, start, end)

    def context(self, quote: Quote) -> tuple[str, tuple[int, int]]:
        """The whole paragraph around a quote, and the quote's span inside it."""
        document = self.corpus.document(quote.doc_id)
        sentences = [s for s in self.corpus.sentences_of(quote.doc_id) if s.start <= quote.start < s.end] or list(
            self.corpus.sentences_of(quote.doc_id)[:1]
        )
        paragraph = sentences[0].paragraph
        in_paragraph = [s for s in self.corpus.sentences_of(quote.doc_id) if s.paragraph == paragraph]
        start, end = in_paragraph[0].start, in_paragraph[-1].end
        return document.text[start:end], (quote.start - start, quote.end - start)
