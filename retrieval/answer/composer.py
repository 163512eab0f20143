"""From ranked passages to an answer: verbatim quotes, or an honest abstention with suggestions.

Scoring a quote: the BM25 score of its passage plus SENTENCE_WEIGHT × a BM25 score of its best
sentence (same IDF, sentence length normalised by the average sentence), so the chosen sentence is
the one that carries the question's words inside a passage that is about them.

Names in a question (capitalised words: "Miami Herald", "El Chorrillo") set the topic, and news
text often names the topic once and then talks about it in the next paragraphs. So a name the
passage lacks but one of the CONTEXT_PARAGRAPHS paragraphs around it holds counts for the passage,
at CONTEXT_WEIGHT × its IDF. Ordinary words must be in the passage itself.

Abstention rule (tuned on the dev set, see README "Retrieval"):
  coverage = IDF weight of the distinct query terms found in the best quote's passage
             ÷ IDF weight of all distinct query terms (a term the corpus never uses weighs the most);
  strength = best quote score ÷ the best score any passage could reach for this query.
  Answer when coverage ≥ MIN_COVERAGE and strength ≥ MIN_STRENGTH; otherwise abstain, say why, and
  show the closest passages as suggestions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from retrieval.answer.figures import find_conflicts
from retrieval.corpus.links import quote_url
from retrieval.corpus.loader import Corpus, shorten
from retrieval.models import Answer, Document, Passage, Quote, Sentence
from retrieval.search.index import Bm25Index
from retrieval.text.analysis import Token, fold_for_tokens, tokenize

MAX_QUESTION_CHARS = 500
CANDIDATE_PASSAGES = 24
SENTENCE_WEIGHT = 1.0
MIN_COVERAGE = 0.45
CONTEXT_PARAGRAPHS = 2
CONTEXT_WEIGHT = 1.0
MIN_STRENGTH = 0.15
QUOTES = 3
MORE_QUOTES = 6
MAX_QUOTE_SENTENCES = 3
NEAR_DUPLICATE = 0.7  # share of the smaller quote's terms found in the other: above this it repeats it

# First words that make a sentence lean on the one before it.
_LEANING_WORDS = frozenset(
    """he she it they this that these those his her its their him them but and so also yet however
    then there such both which who here thus still instead meanwhile first second""".split()
)
_OPENING_QUOTES = "\"'“‘«( "

USAGE = "Please ask a question about the corpus, for example: What happened on January 3?"
NO_TERMS = (
    "Your question has no words the corpus could match (only very common words, punctuation or "
    "symbols). Try naming a person, place, organisation or event."
)


@dataclass(slots=True)
class _Candidate:
    score: float
    passage: Passage
    sentences: list[Sentence]
    coverage: float
    terms: set[str] = field(default_factory=set)


SentenceTokens = dict[tuple[str, int], list[Token]]


def analyse_sentences(corpus: Corpus) -> SentenceTokens:
    """Tokens of every sentence, keyed by (doc_id, sentence index): analysed once per corpus."""
    return {(s.doc_id, s.index): tokenize(fold_for_tokens(s.text)) for s in corpus.sentences}


def passage_terms(tokens: SentenceTokens, passage: Passage) -> list[str]:
    """The terms the index holds for a passage: its sentences' terms."""
    return [
        token.term
        for number in range(passage.first_sentence, passage.last_sentence + 1)
        for token in tokens[(passage.doc_id, number)]
    ]


class Composer:
    """Turns questions into answers over one corpus and its passage index."""

    def __init__(self, corpus: Corpus, index: Bm25Index, tokens: SentenceTokens, base_url: str | None = None) -> None:
        self.corpus = corpus
        self.index = index
        self.base_url = base_url
        self._tokens = tokens
        lengths = [len(sentence_tokens) for sentence_tokens in tokens.values()]
        self._avg_sentence = (sum(lengths) / len(lengths)) if lengths else 1.0

    def answer(self, question: str) -> Answer:
        """Quote the corpus on ``question``, or abstain and explain why."""
        text = " ".join(question.split())
        notice = None
        if len(text) > MAX_QUESTION_CHARS:
            text = shorten(text, MAX_QUESTION_CHARS)
            notice = f"Your question was longer than {MAX_QUESTION_CHARS} characters; I used its beginning."
        base = Answer(question=text, answered=False, reason=None, notice=notice, corpus_version=self.corpus.version)
        if not text:
            return _with(base, reason=USAGE)
        query_tokens = tokenize(fold_for_tokens(text), query=True)
        query = [token.term for token in query_tokens]
        if not query:
            return _with(base, reason=NO_TERMS)
        candidates = self._rank(query, _names(query_tokens, text))
        quotes = [self._quote(c, query) for c in candidates]
        best = candidates[0] if candidates else None
        strength = best.score / self.best_possible(query) if best else 0.0
        coverage = best.coverage if best else 0.0
        confidence = round(coverage * (0.5 + 0.5 * min(1.0, strength)), 4)
        base = _with(base, terms=tuple(dict.fromkeys(query)), confidence=confidence)
        if best is None or coverage < MIN_COVERAGE or strength < MIN_STRENGTH:
            reason = self._abstention_reason(text, query_tokens, best, coverage)
            return _with(base, reason=reason, suggestions=tuple(quotes[:QUOTES]))
        chosen = tuple(quotes[:QUOTES])
        return _with(
            base,
            answered=True,
            quotes=chosen,
            more=tuple(quotes[QUOTES : QUOTES + MORE_QUOTES]),
            conflicts=find_conflicts(chosen, query),
        )

    def best_possible(self, query: Sequence[str]) -> float:
        return self.index.best_possible(query) * (1 + SENTENCE_WEIGHT)

    def _rank(self, query: list[str], names: set[str]) -> list[_Candidate]:
        weights = {term: self.index.idf(term) for term in query}
        total_weight = sum(weights.values())
        counts = Counter(query)
        candidates: list[_Candidate] = []
        for number, passage_score in self.index.top(query, CANDIDATE_PASSAGES):
            passage = self.corpus.passages[number]
            sentences = self.corpus.sentences_of(passage.doc_id)
            scored = [
                (self._sentence_score(sentences[i], counts), i)
                for i in range(passage.first_sentence, passage.last_sentence + 1)
            ]
            sentence_score, best = max(scored, key=lambda pair: (pair[0], -pair[1]))
            present = set(passage_terms(self._tokens, passage)) & weights.keys()
            quote_sentences = self._extend(sentences, best, present)
            nearby = (names - present) & self._context_terms(passage)
            candidates.append(
                _Candidate(
                    score=passage_score
                    + SENTENCE_WEIGHT * sentence_score
                    + CONTEXT_WEIGHT * sum(weights[t] for t in nearby),
                    passage=passage,
                    sentences=quote_sentences,
                    coverage=sum(weights[t] for t in present | nearby) / total_weight,
                    terms={t.term for s in quote_sentences for t in self._tokens[(s.doc_id, s.index)]},
                )
            )
        candidates.sort(key=lambda c: (-c.score, c.passage.index))
        return _distinct(candidates)

    def _context_terms(self, passage: Passage) -> set[str]:
        """Terms of the passages within CONTEXT_PARAGRAPHS paragraphs of ``passage``, same document."""
        found: set[str] = set()
        passages = self.corpus.passages
        for step in (-1, 1):
            number = passage.index + step
            while 0 <= number < len(passages):
                other = passages[number]
                if other.doc_id != passage.doc_id or abs(other.paragraph - passage.paragraph) > CONTEXT_PARAGRAPHS:
                    break
                found.update(passage_terms(self._tokens, other))
                number += step
        return found

    def _sentence_score(self, sentence: Sentence, query: Counter[str]) -> float:
        tokens = self._tokens[(sentence.doc_id, sentence.index)]
        counts = Counter(token.term for token in tokens)
        params = self.index.params
        norm = params.k1 * (1 - params.b + params.b * len(tokens) / self._avg_sentence)
        return sum(
            self.index.idf(term) * weight * counts[term] * (params.k1 + 1) / (counts[term] + norm)
            for term, weight in query.items()
            if counts[term]
        )

    def _extend(self, sentences: Sequence[Sentence], best: int, present: set[str]) -> list[Sentence]:
        """The best sentence, plus neighbours from its paragraph when it cannot stand alone.

        The sentence before joins when the best one leans on it (starts with "He", "But", …, or is a
        fragment); the sentence after joins when it carries query terms the quote lacks, or leans back
        on the quote and is short.
        """
        chosen = [sentences[best]]
        if not _stands_alone(sentences[best]) and best > 0:
            before = sentences[best - 1]
            if before.paragraph == sentences[best].paragraph:
                chosen.insert(0, before)
        after_index = best + 1
        if after_index < len(sentences) and len(chosen) < MAX_QUOTE_SENTENCES:
            after = sentences[after_index]
            if after.paragraph == sentences[best].paragraph:
                have = {t.term for s in chosen for t in self._tokens[(s.doc_id, s.index)]}
                adds = {t.term for t in self._tokens[(after.doc_id, after.index)]} & (present - have)
                if adds or (not _stands_alone(after) and len(after.text.split()) <= 12):
                    chosen.append(after)
        return chosen

    def _quote(self, candidate: _Candidate, query: list[str]) -> Quote:
        first, last = candidate.sentences[0], candidate.sentences[-1]
        wanted = set(query)
        highlights = tuple(
            (s.start - first.start + t.start, s.start - first.start + t.end)
            for s in candidate.sentences
            for t in self._tokens[(s.doc_id, s.index)]
            if t.term in wanted
        )
        score = min(1.0, candidate.score / self.best_possible(query))
        return self.make_quote(self.corpus.document(first.doc_id), first.start, last.end, score, highlights)

    def make_quote(self, document: Document, start: int, end: int, score: float = 0.0, highlights: tuple = ()) -> Quote:
        """A citable quote of ``document.text[start:end]``, with its lines and link."""
        text = document.text[start:end]
        line_start, line_end = document.line_of(start), document.line_of(end - 1)
        return Quote(
            text=text,
            doc_id=document.doc_id,
            title=document.title,
            date=document.date,
            url=quote_url(document, text, line_start, line_end, base_url=self.base_url, corpus_label=self.corpus.label),
            line_start=line_start,
            line_end=line_end,
            score=score,
            start=start,
            end=end,
            highlights=highlights,
        )

    def _abstention_reason(self, text: str, query_tokens: list[Token], best: _Candidate | None, coverage: float) -> str:
        found = set(passage_terms(self._tokens, best.passage)) if best else set()
        missing = sorted(
            {(self.index.idf(t.term), text[t.start : t.end]) for t in query_tokens if t.term not in found},
            reverse=True,
        )
        words = list(dict.fromkeys(word for _, word in missing))[:3]
        unknown = [t for t in query_tokens if not self.index.knows(t.term)]
        if query_tokens and len(unknown) * 2 >= len(query_tokens) + 1 and len(unknown) >= 2:
            return (
                "The corpus does not use most of the words in your question "
                f"({', '.join(repr(w) for w in words)}), so it does not answer it. "
                "It is written in English; the closest passages are below."
            )
        if words and coverage < MIN_COVERAGE:
            return (
                "The corpus does not answer this: no passage that matches your question also mentions "
                + ", ".join(repr(w) for w in words)
                + "."
            )
        return "The corpus does not answer this: the closest passages match your question only weakly."


def _names(tokens: list[Token], text: str) -> set[str]:
    """Terms the question writes as names: capitalised words other than its first word.

    A question typed all in lower case (or all in capitals) names nothing this way.
    """
    if text.islower() or text.isupper():
        return set()
    return {t.term for t in tokens if t.start > 0 and text[t.start].isupper()}


def _stands_alone(sentence: Sentence) -> bool:
    """False for sentences that lean on the previous one: a leading pronoun or connective, or a fragment."""
    words = sentence.text.lstrip(_OPENING_QUOTES).split()
    if len(words) < 4:
        return False
    first = words[0].lower().rstrip(",;:").replace("’", "'").split("'")[0]
    return first not in _LEANING_WORDS and not words[0][:1].islower()


def _distinct(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop candidates that overlap or nearly repeat a better one."""
    kept: list[_Candidate] = []
    for candidate in candidates:
        span = (candidate.sentences[0].start, candidate.sentences[-1].end)
        if any(
            (
                other.passage.doc_id == candidate.passage.doc_id
                and span[0] < other.sentences[-1].end
                and other.sentences[0].start < span[1]
            )
            or _containment(candidate.terms, other.terms) >= NEAR_DUPLICATE
            for other in kept
        ):
            continue
        kept.append(candidate)
    return kept


def _containment(a: set[str], b: set[str]) -> float:
    """Overlap coefficient: catches a quote repeated inside a longer one, which Jaccard misses."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _with(answer: Answer, **changes: Any) -> Answer:
    return replace(answer, **changes)
