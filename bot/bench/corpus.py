"""A seeded synthetic corpus for `corpusbot bench`: real Corpus objects at any size, built in seconds.

Words are pronounceable pseudo-words ("bakotu") that the analyser keeps exactly as written (no
stopword, the stemmer leaves them alone), so a question typed from them analyses to known terms.
Word frequencies follow a Zipf–Mandelbrot law: the flattened head plays the part of frequent
content words (stopwords are gone after analysis), the long tail the names and rare words.
Documents are built directly as Document/Sentence/Passage objects with exact offsets, skipping
pysbd, so a 200k-passage corpus does not take minutes to cut into sentences.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.corpus.loader import Corpus
from retrieval.corpus.tables import PassageTable, SentenceTable
from retrieval.models import Document, Passage, Sentence
from retrieval.text.analysis import terms

VOCABULARY = 100_000
ZIPF_EXPONENT = 1.1
ZIPF_SHIFT = 20  # Mandelbrot's q: the most frequent word is ~0.8% of terms, in ~45% of passages
PASSAGE_TERMS_MEDIAN = 70
PASSAGE_TERMS_SIGMA = 0.4  # lognormal: most passages hold 40-120 terms
PASSAGE_TERMS_RANGE = (12, 300)
SENTENCE_TERMS = (10, 30)
PARAGRAPHS_PER_DOCUMENT = (6, 15)
QUERY_TERMS = (2, 6)
RARE_TERM_SHARE = 0.5  # queries that also carry a word drawn uniformly from the whole vocabulary

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aiou"


@dataclass(frozen=True)
class Workload:
    """A synthetic corpus and the analysed queries to ask it."""

    corpus: Corpus
    queries: tuple[tuple[str, ...], ...]
    term_count: int

    def questions(self) -> list[str]:
        """The queries as question text, as a user would type them."""
        return [question_text(query) for query in self.queries]


def question_text(query: tuple[str, ...]) -> str:
    """How a user would type the query: capitalised, with a question mark."""
    return " ".join(query).capitalize() + "?"


@lru_cache(maxsize=1)
def _analysable_words() -> tuple[str, ...]:
    """Every three-syllable pseudo-word that document analysis keeps as written (all but a few dozen).

    Query analysis differs from it only for "us"/"usa", which six-letter words cannot be.
    """
    syllables = [c + v for c, v in itertools.product(_CONSONANTS, _VOWELS)]
    candidates = ("".join(parts) for parts in itertools.product(syllables, repeat=3))
    return tuple(word for word in candidates if terms(word) == [word])


@lru_cache(maxsize=4)
def vocabulary(seed: int) -> tuple[str, ...]:
    """VOCABULARY pseudo-words in Zipf rank order (most frequent first)."""
    words = _analysable_words()
    order = np.random.default_rng([seed, 0]).permutation(len(words))[:VOCABULARY]
    return tuple(words[i] for i in order)


def _zipf_cdf() -> np.ndarray:
    weights = (np.arange(1, VOCABULARY + 1) + ZIPF_SHIFT) ** -ZIPF_EXPONENT
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def _passage_lengths(rng: np.random.Generator, count: int) -> np.ndarray:
    raw = rng.lognormal(np.log(PASSAGE_TERMS_MEDIAN), PASSAGE_TERMS_SIGMA, count)
    return np.clip(raw.round(), *PASSAGE_TERMS_RANGE).astype(np.int64)


def _sentence_lengths(rng: np.random.Generator, total: int) -> list[int]:
    """Split a passage into sentences of SENTENCE_TERMS terms; a short remainder joins the last one."""
    low, high = SENTENCE_TERMS
    lengths: list[int] = []
    left = total
    while left > 0:
        size = min(int(rng.integers(low, high + 1)), left)
        if size < low and lengths:
            lengths[-1] += size
        else:
            lengths.append(size)
        left -= size
    return lengths


class _DocumentBuilder:
    """One synthetic document under construction.

    Accumulates one document's text while recording every sentence's and passage's offsets; the
    pieces are made once the text exists, since they share it (see ``Sentence.source``).
    """

    def __init__(self, doc_id: str, title: str) -> None:
        self.doc_id = doc_id
        self.parts = [title, "\n\n"]
        self.offset = len(title) + 2
        self.line = 3
        self.body_start = len(title)
        self.sentence_spans: list[tuple[int, int, int, int]] = []  # paragraph, start, end, line
        self.passage_spans: list[tuple[int, int, int, int, int, int]] = []  # + first and last sentence
        self.paragraph = 0

    def add_paragraph(self, sentence_texts: list[str]) -> None:
        start = self.offset
        first = len(self.sentence_spans)
        for number, text in enumerate(sentence_texts):
            if number:
                self.parts.append(" ")
                self.offset += 1
            self.sentence_spans.append((self.paragraph, self.offset, self.offset + len(text), self.line))
            self.parts.append(text)
            self.offset += len(text)
        last = len(self.sentence_spans) - 1
        self.passage_spans.append((self.paragraph, first, last, start, self.offset, self.line))
        self.parts.append("\n\n")
        self.offset += 2
        self.line += 2
        self.paragraph += 1

    def build(self, day: date) -> tuple[Document, list[Sentence], list[Passage]]:
        """The document and its pieces, passages numbered from 0 (joining the tables renumbers them)."""
        text = "".join(self.parts)
        document = Document(
            doc_id=self.doc_id,
            path=f"{self.doc_id}.txt",
            text=text,
            title=text[: self.body_start],
            date=day,
            date_inferred=False,
            body_start=self.body_start,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
        sentences = [
            Sentence(self.doc_id, number, paragraph, start, end, line, line, text)
            for number, (paragraph, start, end, line) in enumerate(self.sentence_spans)
        ]
        passages = [
            Passage(self.doc_id, number, paragraph, first, last, start, end, line, line, text)
            for number, (paragraph, first, last, start, end, line) in enumerate(self.passage_spans)
        ]
        return document, sentences, passages


def synthetic_workload(passages: int, queries: int, seed: int) -> Workload:
    """A corpus of exactly ``passages`` passages and ``queries`` queries; same arguments, same workload.

    The corpus does not depend on ``queries``, so runs with different query counts compare.
    """
    if passages < 1:
        raise ValueError("a synthetic corpus needs at least one passage")
    words = vocabulary(seed)
    rng = np.random.default_rng([seed, passages, 1])
    lengths = _passage_lengths(rng, passages)
    ids = np.searchsorted(_zipf_cdf(), rng.random(int(lengths.sum())))  # an array: millions of Python ints would
    # be freed garbage between the corpus's own objects
    documents: list[Document] = []
    # Each document's pieces become columns at once: holding every Sentence object of the corpus until the end
    # left ~80 MB of freed-but-fragmented heap at 50k passages, which the bench then counted as the engine's.
    sentence_tables: list[SentenceTable] = []
    passage_tables: list[PassageTable] = []
    made = 0
    cursor = 0
    while made < passages:
        number = len(documents)
        builder = _DocumentBuilder(f"syn{number:06d}", f"Synthetic report {number}")
        paragraphs = int(rng.integers(PARAGRAPHS_PER_DOCUMENT[0], PARAGRAPHS_PER_DOCUMENT[1] + 1))
        for _ in range(min(paragraphs, passages - made)):
            texts = []
            for size in _sentence_lengths(rng, int(lengths[made + len(builder.passage_spans)])):
                texts.append(" ".join([words[i] for i in ids[cursor : cursor + size].tolist()]).capitalize() + ".")
                cursor += size
            builder.add_paragraph(texts)
        document, doc_sentences, doc_passages = builder.build(date(2020, 1, 1) + timedelta(days=number % 2000))
        documents.append(document)
        sentence_tables.append(SentenceTable((document,), doc_sentences))
        passage_tables.append(PassageTable((document,), doc_passages))
        made += len(doc_passages)
    corpus = Corpus(
        root=Path("synthetic"),
        label="synthetic",
        documents=tuple(documents),
        sentences=SentenceTable.join(sentence_tables),
        passages=PassageTable.join(passage_tables),
    )
    return Workload(corpus, _queries(ids, lengths, words, queries, seed), len(ids))


def _queries(ids: np.ndarray, lengths: np.ndarray, words: tuple[str, ...], count: int, seed: int) -> tuple:
    """Queries read off random passages (so most are answerable, mostly frequent terms).

    Half of them get one word from anywhere in the vocabulary (rare, possibly absent from the corpus).
    """
    rng = np.random.default_rng([seed, len(lengths), 2])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    queries = []
    for _ in range(count):
        passage = int(rng.integers(len(lengths)))
        held = list(dict.fromkeys(ids[starts[passage] : starts[passage] + lengths[passage]].tolist()))
        size = min(int(rng.integers(QUERY_TERMS[0], QUERY_TERMS[1] + 1)), len(held))
        chosen = [held[i] for i in rng.choice(len(held), size, replace=False)]
        if rng.random() < RARE_TERM_SHARE:
            rare = int(rng.integers(VOCABULARY))
            chosen[-1] = rare if rare not in chosen else chosen[-1]
        queries.append(tuple(words[i] for i in chosen))
    return tuple(queries)
