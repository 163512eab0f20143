"""What the reranker knows about a (question, sentence) pair: general signals, no word lists per topic.

Every feature lies in 0..1 and is computed from the question's analysed terms, the index's IDF and
the statistics computed at index time (``SentenceStats``, ``SentenceVectors``):

- ``sentence_coverage`` / ``passage_coverage``: IDF-weighted share of the question's distinct terms
  found in the sentence / in its passage with the document title (and the question's names found in
  nearby paragraphs, as news names the topic once and then talks about it);
- ``sentence_bm25`` / ``passage_bm25`` / ``neighbour_bm25``: BM25 of the sentence, of its passage and
  of the best adjacent sentence of the same paragraph, each divided by the question's best possible;
- ``bigrams``: share of the question's adjacent term pairs found adjacent in the sentence;
- ``new_words``: share of the sentence's terms the question lacks (an answer adds something);
- ``answer_type``: the question asks When / How many / Who-Where and the sentence holds a date or
  time, a number, or a capitalised name that the question does not already hold;
- ``sentence_cosine`` / ``passage_cosine``: WordLlama cosine of the question with the sentence and
  with its passage (paraphrases that share no word).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from retrieval.search.index import Bm25Index
from retrieval.search.sentences import SentenceStats
from retrieval.text.analysis import Token, stem

FEATURES = (
    "sentence_coverage",
    "passage_coverage",
    "sentence_bm25",
    "passage_bm25",
    "neighbour_bm25",
    "bigrams",
    "new_words",
    "answer_type",
    "sentence_cosine",
    "passage_cosine",
)

COLUMN = {name: number for number, name in enumerate(FEATURES)}
DATE, NUMBER, NAME = 1, 2, 4

_MONTH_NAMES = "january february march april june july august september october november december".split()
_DATE_TERMS = frozenset(
    stem(word)
    for word in _MONTH_NAMES
    + "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight".split()
    + "century centuries decade decades ago bce".split()
) | {"am", "pm"}  # "a.m." and "p.m." analyse to these; the words "am" and "pm" are stopwords or rare
_MAY = stem("may")
_NUMBER_TERMS = frozenset(
    stem(word)
    for word in """one two three four five six seven eight nine ten eleven twelve dozen dozens twenty thirty
    forty fifty hundred hundreds thousand thousands million millions billion billions half several single
    double twice""".split()
)
# A question's type comes from its first interrogative phrase; "how long" asks a length (a number).
_QUESTION_TYPE = re.compile(
    r"\b(?P<date>when|what (?:year|date|time|day|month|century|decade|period)|which (?:year|date|day|month|century)"
    r"|since when|how long ago)\b"
    r"|\b(?P<number>how (?:many|much|long|far|big|large|old|tall|high|deep|wide|often|fast)"
    r"|what (?:percentage|percent|number|proportion|share|amount|size|length|area|population))\b"
    r"|\b(?P<name>who|whom|whose|where|what (?:country|city|town|company|organi[sz]ation|river|state|group|party)"
    r"|which (?:country|city|town|company|organi[sz]ation|river|state|group|party))\b",
    re.IGNORECASE,
)
_OPENING = "\"'“‘«([ "


# "Who is Steve Ellner?" asks who the person is (a description), not for a name.
_WHO_IS_NAME = re.compile(
    r"^\s*who(?:'s| is| was| are| were) (?!the\b|a\b|an\b)\S+(?: \S+){0,2}\s*\??\s*$", re.IGNORECASE
)


def question_type(text: str) -> int:
    """DATE, NUMBER or NAME for a question that asks for one, 0 otherwise."""
    if _WHO_IS_NAME.match(text):
        return 0
    match = _QUESTION_TYPE.search(text)
    if match is None:
        return 0
    return {"date": DATE, "number": NUMBER, "name": NAME}[match.lastgroup or ""]


def sentence_kinds(text: str, tokens: Sequence[Token]) -> tuple[tuple[str, int], ...]:
    """The terms by which a sentence can answer a typed question, each with its kind.

    Read from its analysed terms, once at index time: a year (1000–2099), a decade ("1990s"), a
    month, weekday or other time word is a DATE ("May" only before a number); any other number or
    number word is a NUMBER; a capitalised word that does not open the sentence is a NAME.
    """
    found: dict[str, int] = {}
    terms = [t.term for t in tokens]
    opening = len(text) - len(text.lstrip(_OPENING))
    for position, token in enumerate(tokens):
        term = token.term
        kind = 0
        if term[:1].isdigit():
            digits = term.rstrip("s")
            year = digits.isdigit() and len(digits) == 4 and 1000 <= int(digits) <= 2099
            kind = DATE if year or term.endswith("0s") else NUMBER
        elif term in _DATE_TERMS or (term == _MAY and "".join(terms[position + 1 : position + 2])[:1].isdigit()):
            kind = DATE
        elif term in _NUMBER_TERMS:
            kind = NUMBER
        if token.start > opening and text[token.start].isupper():
            kind |= NAME
        if kind:
            found[term] = found.get(term, 0) | kind
    return tuple(found.items())


@dataclass(frozen=True, slots=True)
class Question:
    """A question analysed once per answer."""

    terms: tuple[str, ...]  # analysed terms, repeats kept
    weights: dict[str, float]  # IDF of each distinct term
    names: frozenset[str]  # terms the question writes as names
    bigrams: frozenset[tuple[str, str]]
    kind: int
    vector: np.ndarray
    best_possible: float
    counts: tuple[tuple[str, float], ...]  # (term, IDF × occurrences in the question), for BM25

    @property
    def total_weight(self) -> float:
        """The IDF sum coverage features divide by; never zero, so a question of unknown terms scores 0."""
        return sum(self.weights.values()) or 1.0


def analyse_question(
    text: str, tokens: Sequence[Token], index: Bm25Index, vector: np.ndarray, names: frozenset[str]
) -> Question:
    """Everything the features need of the question, computed once rather than per candidate sentence."""
    terms = tuple(t.term for t in tokens)
    return Question(
        terms=terms,
        weights={term: index.idf(term) for term in terms},
        names=names,
        bigrams=frozenset(pairwise(terms)) - {(a, a) for a in terms},
        kind=question_type(text),
        vector=vector,
        best_possible=max(index.best_possible(terms), 1e-9),
        counts=tuple((term, index.idf(term) * count) for term, count in Counter(terms).items()),
    )


class FeatureBuilder:
    """Computes the feature rows of candidate sentences for one corpus."""

    def __init__(self, index: Bm25Index, stats: SentenceStats, typed: Sequence[tuple[tuple[str, int], ...]]):
        """``typed[row]``: the sentence's ``sentence_kinds``."""
        self.index = index
        self.stats = stats
        self.typed = typed

    def sentence_bm25(self, row: int, question: Question) -> float:
        """BM25 of one sentence (its length against the average sentence), over the question's best."""
        terms = self.stats.terms[row]
        params = self.index.params
        norm = params.k1 * (1 - params.b + params.b * len(terms) / self.stats.average_length)
        total = 0.0
        for term, weight in question.counts:
            count = terms.count(term)
            if count:
                total += weight * count * (params.k1 + 1) / (count + norm)
        return total / question.best_possible

    def rows(
        self,
        question: Question,
        candidates: Sequence[tuple[int, int, float, frozenset[str]]],
        sentence_cosines: np.ndarray,
        passage_cosines: np.ndarray,
    ) -> np.ndarray:
        """One feature row per candidate ``(sentence row, passage number, passage BM25, passage context terms)``."""
        out = np.zeros((len(candidates), len(FEATURES)), dtype=np.float64)
        total = question.total_weight
        wanted = question.weights.keys()
        weights = question.weights
        stats = self.stats
        scores: dict[int, float] = {}

        def score(row: int) -> float:
            if row not in scores:
                scores[row] = self.sentence_bm25(row, question)
            return scores[row]

        for i, (row, passage, passage_score, context) in enumerate(candidates):
            terms = stats.terms[row]
            present = wanted & set(terms)
            around = wanted & (stats.passage_terms(passage) | context)
            neighbours = [score(other) for other in (row - 1, row + 1) if stats.same_paragraph(row, other)]
            distinct = int(stats.distinct[row])
            out[i, 0] = sum(weights[t] for t in present) / total
            out[i, 1] = sum(weights[t] for t in around) / total
            out[i, 2] = min(1.0, score(row))
            out[i, 3] = min(1.0, passage_score / question.best_possible)
            out[i, 4] = min(1.0, max(neighbours, default=0.0))
            if question.bigrams and len(present) > 1:
                out[i, 5] = _adjacent(terms, question.bigrams, present) / len(question.bigrams)
            out[i, 6] = (distinct - len(present)) / distinct if distinct else 0.0
            out[i, 7] = float(self._has_type(row, question))
        out[:, 8] = np.clip(sentence_cosines, 0.0, 1.0)
        out[:, 9] = np.clip(passage_cosines, 0.0, 1.0)
        return out

    def _has_type(self, row: int, question: Question) -> bool:
        """The sentence holds a term of the asked kind that the question does not already hold."""
        wanted, known = question.kind, question.weights
        return bool(wanted) and any(kind & wanted and term not in known for term, kind in self.typed[row])


def _adjacent(terms: tuple[str, ...], bigrams: frozenset[tuple[str, str]], present: set[str]) -> int:
    """How many of the question's bigrams stand adjacent in ``terms`` (only those whose words it holds)."""
    possible = {pair for pair in bigrams if pair[0] in present and pair[1] in present}
    return len(possible & set(pairwise(terms))) if possible else 0
