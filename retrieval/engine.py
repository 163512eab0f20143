"""The one object every interface holds: a loaded corpus, its index and its composer.

An Engine is immutable; reloading the corpus builds a new Engine and the caller swaps the
reference, so a question in flight finishes on the corpus it started with.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.answer.composer import Composer, analyse_sentences, passage_terms
from retrieval.corpus.links import quote_url
from retrieval.corpus.loader import Corpus, load_corpus
from retrieval.corpus.readers import accepted_suffixes
from retrieval.models import Answer, Quote
from retrieval.search.index import Bm25Index

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Engine:
    corpus: Corpus
    index: Bm25Index
    composer: Composer
    build_seconds: float

    @classmethod
    def load(cls, corpus_dir: Path, *, base_url: str | None = None, label: str | None = None) -> Engine:
        """Load and index a corpus folder. Raises ValueError when it holds no readable document."""
        started = time.perf_counter()
        corpus = load_corpus(Path(corpus_dir), label=label)
        if not corpus.passages:
            skipped = "; ".join(f"{s.name} ({s.reason})" for s in corpus.skipped[:5])
            raise ValueError(
                f"no readable documents in {corpus_dir} (accepted: {', '.join(accepted_suffixes())})"
                + (f"; skipped: {skipped}" if skipped else "")
            )
        tokens = analyse_sentences(corpus)
        index = Bm25Index([passage_terms(tokens, p) for p in corpus.passages])
        composer = Composer(corpus, index, tokens, base_url)
        elapsed = time.perf_counter() - started
        logger.info(
            "indexed %d documents, %d passages in %.0f ms (corpus %s; sentence vectors %.1f MB; reranker %s)",
            len(corpus.documents),
            len(corpus.passages),
            elapsed * 1000,
            corpus.version,
            composer.vectors.nbytes / 2**20,
            composer.reranker.version,
        )
        return cls(corpus=corpus, index=index, composer=composer, build_seconds=elapsed)

    @property
    def version(self) -> str:
        return self.corpus.version

    def ask(self, question: str) -> Answer:
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
