"""From a question to an answer: verbatim quotes with a calibrated confidence, or an honest refusal.

Two stages. BM25 over passages (``Bm25Index.top``) picks CANDIDATE_PASSAGES candidates; every
sentence of those passages is then scored by the learned linear reranker over general features
(``features.py``, weights in ``weights.json``, fitted by ``corpusbot train``). The best distinct
sentences, joined to the neighbours they lean on, are the quotes.

Refusing costs more than showing related quotes (quotes are verbatim; the bot never claims), so the
composer refuses only questions off-topic for the corpus, where its key terms and their semantic
neighbourhood are both absent: topic = (the best candidate passage's IDF-weighted share of the
question's terms, with its title) + COSINE_SHARE × (the best WordLlama cosine of the question with a
candidate sentence) falls below MIN_TOPIC. Chosen on the training questions (see README "Retrieval"):
no answerable Rhine question and 2 of 388 answerable training questions fall below it, 5 of the 6
off-topic dev questions do. Otherwise it answers and shows its confidence: the Platt-
calibrated probability that the first quote holds the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import groupby
from operator import attrgetter
from typing import Any

import numpy as np

from retrieval.answer.features import COLUMN, FeatureBuilder, Question, analyse_question, sentence_kinds
from retrieval.answer.figures import find_conflicts
from retrieval.answer.quotes import QuoteMaker
from retrieval.answer.reranker import Reranker
from retrieval.answer.spelling import Speller
from retrieval.corpus.loader import Corpus, shorten
from retrieval.corpus.sections import field_terms
from retrieval.models import Answer, Document, Passage, Quote
from retrieval.search.embedding import SentenceVectors, embed, is_common_word
from retrieval.search.index import Bm25Index
from retrieval.search.sentences import SentenceStats, TermTable
from retrieval.text.analysis import Token, fold_for_tokens, tokenize

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
CANDIDATE_PASSAGES = 24
MIN_TOPIC = 0.6
COSINE_SHARE = 0.8
QUOTES = 3
NO_SECOND_MARGIN = 4.0  # a lone candidate is treated as far ahead of a missing second
MORE_QUOTES = 6

USAGE = "Please ask a question about the corpus, for example: What happened on January 3?"
NO_TERMS = (
    "Your question has no words the corpus could match (only very common words, punctuation or "
    "symbols). Try naming a person, place, organisation or event."
)

FOREIGN = (
    "Your question seems to be in another language. The corpus is written in English and "
    "does not match it; the closest passages are below."
)
WEAK_MATCH = "The corpus does not seem to cover this: the closest passages match your question only weakly."


def analyse_sentence(text: str) -> tuple[list[str], tuple[tuple[str, int], ...]]:
    """One sentence's terms in order and its ``sentence_kinds``; its tokens are dropped once these are read."""
    tokens = tokenize(fold_for_tokens(text))
    return [t.term for t in tokens], sentence_kinds(text, tokens)


def analyse_sentences(corpus: Corpus) -> TermTable:
    """Terms and kinds of every sentence, in corpus order, as one table: analysed once per corpus."""
    return TermTable.build(
        (doc_id, (analyse_sentence(s.text) for s in sentences))
        for doc_id, sentences in groupby(corpus.sentences, key=attrgetter("doc_id"))
    )


def passage_terms(table: TermTable, passage: Passage) -> list[str]:
    """The terms the index holds for a passage: its sentences' terms, then its heading path's (a field)."""
    rows = table.passage_rows(passage)
    vocabulary = table.vocabulary
    ids = table.ids[table.offsets[rows.start] : table.offsets[rows.stop]]
    return [vocabulary[number] for number in ids.tolist()] + list(field_terms(passage))


@dataclass(frozen=True, slots=True)
class Ranking:
    """Candidate sentences of one question, best first, with their features and scores."""

    question: Question
    rows: np.ndarray  # sentence rows, best first
    passages: np.ndarray  # the passage each candidate came from
    features: np.ndarray  # one row per candidate, same order
    scores: np.ndarray

    @property
    def on_topic(self) -> bool:
        """Whether the corpus speaks to the question enough to answer rather than refuse (MIN_TOPIC)."""
        if not len(self.rows):
            return False
        return self.topic >= MIN_TOPIC

    @property
    def topic(self) -> float:
        """How much the corpus is about the question: key terms found, or words near them in meaning."""
        if not len(self.rows):
            return 0.0
        coverage, cosine = self.features[:, COLUMN["passage_coverage"]], self.features[:, COLUMN["sentence_cosine"]]
        return float(coverage.max() + COSINE_SHARE * cosine.max())


class Composer:
    """Turns questions into answers over one corpus, its passage index and index-time statistics."""

    def __init__(
        self,
        corpus: Corpus,
        index: Bm25Index,
        tokens: TermTable,
        base_url: str | None = None,
        reranker: Reranker | None = None,
        sentence_vectors: np.ndarray | None = None,
        word_counts: Mapping[str, int] | None = None,
    ) -> None:
        """Prepare everything an answer reads: statistics, features, vectors, speller, quotes.

        ``sentence_vectors``: the sentences' packed WordLlama vectors (``embedding.VECTOR``) when the saved
        index holds them (embedded here otherwise); ``word_counts``: the sentences' words counted per file
        when read (`spelling.word_counts`; counted here otherwise).
        """
        self.corpus = corpus
        self.index = index
        self.base_url = base_url
        self.reranker = reranker or Reranker.load()
        self.stats = SentenceStats(corpus.sentence_table, corpus.passage_table, tokens, index.vocabulary, index.numbers)
        self.vectors = SentenceVectors(
            list(corpus.sentence_table.texts()), self.stats.passage_rows, sentence_vectors=sentence_vectors
        )
        titles = {d.doc_id: frozenset(t.term for t in tokenize(fold_for_tokens(d.title))) for d in corpus.documents}
        self.features = FeatureBuilder(index, self.stats, self.vectors, corpus.passage_table, titles)
        self.speller = Speller(corpus.sentence_table.texts(), index.knows, is_common_word, word_counts)
        self.quotes = QuoteMaker(corpus, self.stats, base_url)

    def answer(self, question: str) -> Answer:
        """Quote the corpus on ``question``, or refuse and explain why."""
        text = " ".join(question.split())
        notice = None
        if len(text) > MAX_QUESTION_CHARS:
            text = shorten(text, MAX_QUESTION_CHARS)
            notice = f"Your question was longer than {MAX_QUESTION_CHARS} characters; I used its beginning."
        base = Answer(question=text, answered=False, reason=None, notice=notice, corpus_version=self.corpus.version)
        if notice:
            base = replace(base, notice_code="question_cut", cut_at=MAX_QUESTION_CHARS)
        if not text:
            return replace(base, reason=USAGE, reason_code="usage")
        foreign, corrected, searched, query_tokens = self.prepare(text)
        if not query_tokens:
            return replace(base, reason=NO_TERMS, reason_code="no_terms")
        ranking = self.rank(searched, query_tokens)
        wanted = set(ranking.question.terms)
        on_topic = ranking.on_topic  # a refusal shows only QUOTES suggestions: build no more than that
        chosen = self.quotes.distinct(ranking.rows.tolist(), wanted, QUOTES + MORE_QUOTES if on_topic else QUOTES)
        confidence = self.confidence(ranking, chosen)
        quotes = [self.quotes.quote(span, wanted, self._quote_score(ranking, i)) for i, span in chosen]
        base = replace(
            base, terms=tuple(dict.fromkeys(ranking.question.terms)), confidence=confidence, corrected=corrected
        )
        if not on_topic:
            refusal = self._refusal(searched, query_tokens, ranking, foreign)
            return replace(base, confidence=0.0, suggestions=tuple(quotes[:QUOTES]), **refusal)
        shown = tuple(quotes[:QUOTES])
        return replace(
            base,
            answered=True,
            quotes=shown,
            more=tuple(quotes[QUOTES:]),
            conflicts=find_conflicts(shown, list(ranking.question.terms)),
        )

    def prepare(self, text: str) -> tuple[bool, str | None, str, list[Token]]:
        """The question made searchable: foreign or not, typo-corrected, and tokenized as a query.

        Returns whether it is foreign, its corrected form (None when unchanged), the text searched and its
        query tokens.
        """
        foreign = self.speller.foreign(text)
        corrected = None if foreign else self.speller.correct(text)
        searched = corrected or text
        return foreign, corrected, searched, tokenize(fold_for_tokens(searched), query=True)

    def rank(self, text: str, query_tokens: list[Token]) -> Ranking:
        """Stage one (BM25 passages) and stage two (every sentence of them, reranked)."""
        names = _names(query_tokens, text)
        question = analyse_question(text, query_tokens, self.index, embed([text])[0], names)
        top = self.index.top(list(question.terms), CANDIDATE_PASSAGES)
        rows, passages, features = self.features.rows(question, top)
        scores = self.reranker.scores(features)
        order = np.lexsort((rows, -scores))
        return Ranking(question, rows[order], passages[order], features[order], scores[order])

    def confidence(self, ranking: Ranking, chosen: list) -> float:
        """Calibrated probability that the first quote holds the answer."""
        return round(self.reranker.confidence(calibration_inputs(ranking, chosen)), 4) if chosen else 0.0

    def _quote_score(self, ranking: Ranking, position: int) -> float:
        """A quote's ``score`` (0..1): the reranker's probability for its sentence."""
        return round(float(1.0 / (1.0 + np.exp(-ranking.scores[position]))), 4)

    def make_quote(self, document: Document, start: int, end: int, score: float = 0.0, highlights: tuple = ()) -> Quote:
        """A citable quote of ``document.text[start:end]``, with its lines and link."""
        return self.quotes.make(document, start, end, score, highlights)

    def _refusal(self, text: str, query_tokens: list[Token], ranking: Ranking, foreign: bool) -> dict[str, Any]:
        """Why an off-topic question is refused: the English ``reason`` with its ``reason_code`` and terms."""
        if foreign:
            return {"reason": FOREIGN, "reason_code": "foreign"}
        found: set[str] = set()
        if len(ranking.rows):
            best = int(np.argmax(ranking.features[:, COLUMN["passage_coverage"]]))
            found = set(self.stats.passage_terms(int(ranking.passages[best])))
        missing = sorted(
            {(self.index.idf(t.term), text[t.start : t.end]) for t in query_tokens if t.term not in found},
            reverse=True,
        )
        words = list(dict.fromkeys(word for _, word in missing))[:3]
        if words:
            reason = (
                "The corpus does not seem to cover this: no passage that matches your question also mentions "
                + ", ".join(repr(w) for w in words)
                + ", and none is close to it in meaning."
            )
            return {"reason": reason, "reason_code": "not_mentioned", "reason_terms": tuple(words)}
        return {"reason": WEAK_MATCH, "reason_code": "weak_match"}


def calibration_inputs(ranking: Ranking, chosen: list) -> tuple[float, ...]:
    """The reranker's CALIBRATION_INPUTS for the first of the ``chosen`` (position, span) pairs."""
    first = chosen[0][0]
    top = float(ranking.scores[first])
    second = float(ranking.scores[chosen[1][0]]) if len(chosen) > 1 else top - NO_SECOND_MARGIN
    return (top, top - second, float(ranking.features[first, COLUMN["sentence_coverage"]]), ranking.topic)


def _names(tokens: list[Token], text: str) -> frozenset[str]:
    """Terms the question writes as names: capitalised words other than its first word.

    A question typed all in lower case (or all in capitals) names nothing this way.
    """
    if text.islower() or text.isupper():
        return frozenset()
    return frozenset(t.term for t in tokens if t.start > 0 and text[t.start].isupper())
