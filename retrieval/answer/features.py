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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from retrieval.corpus.tables import PassageTable
from retrieval.search.embedding import SentenceVectors
from retrieval.search.index import Bm25Index, Bm25Params
from retrieval.search.sentences import SentenceStats, spread
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
CONTEXT_PARAGRAPHS = 2

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
    """Computes the feature rows of candidate sentences for one corpus, with numpy over the term table.

    An answer's candidates are every sentence of its best passages (~100); their term ids are
    gathered once and matched against the question's few distinct terms, and every feature follows
    from that (row × question term) count matrix and the candidates' typed terms.
    """

    def __init__(
        self,
        index: Bm25Index,
        stats: SentenceStats,
        vectors: SentenceVectors,
        passages: PassageTable,
        titles: Mapping[str, frozenset[str]],
    ) -> None:
        """``titles``: each document's title terms, which count as its passages' for passage coverage."""
        self.index = index
        self.stats = stats
        self.vectors = vectors
        self.passages = passages
        self.titles = titles
        # Each passage's document number and paragraph, read per answer without making Passage objects.
        self._document = passages.column("doc")
        self._paragraph = passages.column("paragraph")

    def rows(self, question: Question, top: Sequence[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every sentence row of the ``top`` (passage number, BM25) passages, their passage and their features."""
        stats = self.stats
        numbers = np.fromiter((number for number, _ in top), dtype=np.int64, count=len(top))
        firsts, lengths = stats.passage_rows.firsts[numbers], stats.passage_rows.lengths[numbers]
        rows = spread(firsts, lengths)
        slots = np.repeat(np.arange(len(top)), lengths)
        out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
        if not len(rows):
            return rows, numbers[slots], out
        # The candidates and their adjacent sentences (for neighbour_bm25), sorted; ``at`` finds a candidate.
        around = np.concatenate([rows - 1, rows, rows + 1])
        extended = np.unique(around[(around >= 0) & (around < len(stats.paragraph_of))])
        at = np.searchsorted(extended, rows)
        match = Matches(question, stats, extended)
        weights = np.fromiter((question.weights[term] for term in match.terms), np.float64, len(match.terms))
        total = question.total_weight
        present = match.counts > 0
        bm25 = match.bm25(self.index.params, stats, question.best_possible)
        out[:, 0] = present[at] @ weights / total
        out[:, 1] = (self._passage_terms(question, match, numbers, present[at], slots) @ weights / total)[slots]
        out[:, 2] = np.minimum(1.0, bm25[at])
        scores = np.fromiter((score for _, score in top), dtype=np.float64, count=len(top))
        out[:, 3] = np.minimum(1.0, scores / question.best_possible)[slots]
        out[:, 4] = np.minimum(1.0, _neighbours(stats.paragraph_of, rows, at, bm25))
        if question.bigrams:
            out[:, 5] = match.bigrams(question)[at] / len(question.bigrams)
        distinct = stats.distinct[rows]
        held = present[at].sum(axis=1)
        out[:, 6] = np.divide(distinct - held, distinct, out=np.zeros(len(rows)), where=distinct > 0)
        if question.kind:
            kind_ids, kinds, owner = stats.gather_kinds(rows)
            typed = (kinds & question.kind).astype(bool) & ~np.isin(kind_ids, match.ids)
            out[:, 7] = np.bincount(owner[typed], minlength=len(rows)) > 0
        out[:, 8] = np.clip(self.vectors.sentence_cosines(question.vector, rows), 0.0, 1.0)
        out[:, 9] = np.clip(self.vectors.passage_cosines(question.vector, numbers[slots]), 0.0, 1.0)
        return rows, numbers[slots], out

    def _passage_terms(
        self, question: Question, match: Matches, numbers: np.ndarray, present: np.ndarray, slots: np.ndarray
    ) -> np.ndarray:
        """Which question terms each candidate passage holds (passage × term), with its document title.

        The question's names count too when found within CONTEXT_PARAGRAPHS paragraphs of a passage that
        lacks one of them (news names its topic once, then talks about it).
        """
        held = np.zeros((len(numbers), len(match.terms)), dtype=bool)
        candidates, terms = np.nonzero(present)
        held[slots[candidates], terms] = True
        found = held.copy()
        names = [column for column, term in enumerate(match.terms) if term in question.names]
        for slot, number in enumerate(numbers.tolist()):
            title = self.titles[self.passages.document_of(number).doc_id]
            for column, term in enumerate(match.terms):
                if term in title:
                    found[slot, column] = True
            if names and not held[slot, names].all():
                first, end = self._context_rows(number)
                nearby = self.stats.row_ids(first, end)
                for column in names:
                    if match.ids_of[column] >= 0 and (nearby == match.ids_of[column]).any():
                        found[slot, column] = True
        return found

    def _context_rows(self, number: int) -> tuple[int, int]:
        """The rows of the passages within CONTEXT_PARAGRAPHS paragraphs of passage ``number``, same document."""
        document, paragraph, reach = self._document, self._paragraph, [number, number]
        own_document, own_paragraph = document[number], paragraph[number]
        for side, step in ((0, -1), (1, 1)):
            other = number + step
            while 0 <= other < len(document):
                if document[other] != own_document or abs(paragraph[other] - own_paragraph) > CONTEXT_PARAGRAPHS:
                    break
                reach[side] = other
                other += step
        rows = self.stats.passage_rows
        return rows[reach[0]].start, rows[reach[1]].stop


class Matches:
    """The question's distinct terms found in some sentence rows: a (row × term) count matrix."""

    def __init__(self, question: Question, stats: SentenceStats, rows: np.ndarray) -> None:
        self.terms = [term for term, _ in question.counts]  # distinct, in question order
        self.ids_of = np.fromiter(
            (-1 if (number := stats.term_id(term)) is None else number for term in self.terms),
            dtype=np.int64,
            count=len(self.terms),
        )
        self.ids = self.ids_of[self.ids_of >= 0]
        self.rows = rows
        ids, self.owner = stats.gather(rows)
        known = np.flatnonzero(self.ids_of >= 0)
        self.column = stats.columns(ids, self.ids_of[known], known)  # which question term each gathered id is
        width = len(self.terms)
        hit = self.column >= 0
        self.counts = np.bincount(self.owner[hit] * width + self.column[hit], minlength=len(rows) * width).reshape(
            len(rows), width
        )
        self.weights = np.fromiter((weight for _, weight in question.counts), np.float64, width)

    def bm25(self, params: Bm25Params, stats: SentenceStats, best_possible: float) -> np.ndarray:
        """BM25 of each row (its length against the average sentence), over the question's best.

        Summed term by term in the question's order, as a loop over the terms would: the same floats.
        """
        if not len(self.terms):
            return np.zeros(len(self.rows))
        norm = params.k1 * (1 - params.b + params.b * stats.lengths[self.rows] / stats.average_length)
        counts = self.counts
        parts = self.weights * counts * (params.k1 + 1) / (counts + norm[:, None])
        return np.cumsum(parts, axis=1)[:, -1] / best_possible

    def bigrams(self, question: Question) -> np.ndarray:
        """How many of the question's bigrams stand adjacent in each row (each counted once)."""
        width = len(self.terms)
        column = {term: number for number, term in enumerate(self.terms)}
        known = self.ids_of >= 0
        wanted = np.fromiter(
            (column[a] * width + column[b] for a, b in question.bigrams if known[column[a]] and known[column[b]]),
            dtype=np.int64,
        )
        if not len(wanted):
            return np.zeros(len(self.rows))
        left, right = self.column[:-1], self.column[1:]
        pair = (left >= 0) & (right >= 0) & (self.owner[:-1] == self.owner[1:])
        codes = left[pair].astype(np.int64) * width + right[pair]  # the columns are int16
        asked = np.zeros(width * width, dtype=bool)
        asked[wanted] = True
        kept = asked[codes]
        seen = np.zeros((len(self.rows), width * width), dtype=bool)
        seen[self.owner[:-1][pair][kept], codes[kept]] = True
        return seen.sum(axis=1)


def _neighbours(paragraph_of: np.ndarray, rows: np.ndarray, at: np.ndarray, bm25: np.ndarray) -> np.ndarray:
    """The best BM25 of each row's adjacent sentences of the same paragraph (0 when it has none)."""
    last = len(paragraph_of) - 1
    before = (rows > 0) & (paragraph_of[np.maximum(rows - 1, 0)] == paragraph_of[rows])
    after = (rows < last) & (paragraph_of[np.minimum(rows + 1, last)] == paragraph_of[rows])
    best = np.maximum(
        np.where(before, bm25[at - 1], -np.inf), np.where(after, bm25[np.minimum(at + 1, len(bm25) - 1)], -np.inf)
    )
    best[best == -np.inf] = 0.0
    return best
