"""Fitting the reranker and its calibration on public training questions: `corpusbot train`.

Data: the news dev set and the questions written for this project about the seed articles (on the
seed corpus), and the Rhine article's SQuAD 2.0 questions (on that article). A part is held out of
training to report on: Rhine questions whose answer lies in every fourth paragraph of the article
(an unanswerable question goes with the paragraph of the question before it, as the file keeps a
paragraph's questions together), and every fourth line of the written news questions.

Ranking: a logistic regression (L2-regularised, Newton's method, numpy; deterministic) over every
candidate sentence of every training question that has one; a sentence is positive when a gold
string overlaps it. Each question weighs the same, its positives and its negatives half each, so
that long articles or many candidates do not dominate. Features are used as they are (all in 0..1).

Calibration: Platt scaling, a second logistic regression of "the first quote holds the answer" on the
reranker's CALIBRATION_INPUTS (first quote's score, margin, sentence coverage, topic), over the
training questions the composer answers with the fitted weights.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.answer.composer import Composer, calibration_inputs
from retrieval.answer.features import FEATURES
from retrieval.answer.reranker import Reranker
from retrieval.engine import Engine
from retrieval.evaluation.answers import EvalCase, EvalReport, evaluate, read_cases

logger = logging.getLogger(__name__)

REGULARISATION = 1.0  # L2 strength, in units of "one question"
CALIBRATION_REGULARISATION = 0.1
HOLD_OUT_EVERY = 4
DATA_ROOT = Path(__file__).resolve().parents[2] / "tests" / "data"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


@dataclass(frozen=True)
class QuestionSet:
    """Questions on one corpus; ``held_out(cases, corpus text)`` flags the questions kept for reporting."""

    name: str
    corpus: Path
    questions: Path
    held_out: Callable[[Sequence[EvalCase], str], list[bool]] = field(default=lambda cases, _: [False] * len(cases))


def every_fourth_line(cases: Sequence[EvalCase], _: str) -> list[bool]:
    """Held out when the question is every fourth of the file: for files whose questions are independent."""
    return [number % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1 for number in range(len(cases))]


def every_fourth_paragraph(cases: Sequence[EvalCase], text: str) -> list[bool]:
    """Held out when the answer lies in a paragraph whose number is 3 mod 4 (blank-line paragraphs)."""
    starts, offset = [], 0
    for block in text.split("\n\n"):
        starts.append(offset)
        offset += len(block) + 2
    held, paragraph = [], 0
    for case in cases:
        where = min((text.find(g) for g in case.gold or () if g in text), default=-1)
        if where >= 0:
            paragraph = sum(start <= where for start in starts) - 1
        held.append(paragraph % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1)
    return held


def default_sets(data: Path = DATA_ROOT, seeds: Path = SEEDS_DIR) -> list[QuestionSet]:
    """The public question sets `corpusbot train` fits on, each with the hold-out rule that suits its file."""
    return [
        QuestionSet("news dev", seeds, data / "dev_questions.jsonl"),
        QuestionSet("news written", seeds, data / "news_train.jsonl", every_fourth_line),
        QuestionSet("rhine", data / "rhine" / "corpus", data / "rhine" / "questions.jsonl", every_fourth_paragraph),
    ]


@dataclass
class Example:
    """One question's candidates: features (rows × FEATURES) and whether each overlaps a gold string."""

    case: EvalCase
    features: np.ndarray
    labels: np.ndarray


@dataclass
class LoadedSet:
    """A question set with its corpus indexed and candidates computed, so refits and ablations reuse them."""

    spec: QuestionSet
    composer: Composer
    cases: list[EvalCase]
    held: list[bool]
    examples: list[Example]

    def split(self, held_out: bool) -> list[EvalCase]:
        """The questions kept for reporting (``held_out=True``) or the ones trained on."""
        return [c for c, h in zip(self.cases, self.held, strict=True) if h == held_out]


def load_set(spec: QuestionSet) -> LoadedSet:
    """Index the corpus and compute every question's candidate features once."""
    engine = Engine.load(spec.corpus)
    composer = engine.composer
    cases = read_cases(spec.questions)
    corpus_text = "\n\n".join(d.text for d in engine.corpus.documents)
    held = spec.held_out(cases, corpus_text)
    examples = []
    for case in cases:
        _, _, searched, tokens = composer.prepare(" ".join(case.question.split()))
        if not tokens:
            continue
        ranking = composer.rank(searched, tokens)
        labels = np.asarray([_overlaps_gold(composer, int(row), case.gold) for row in ranking.rows], dtype=float)
        examples.append(Example(case, ranking.features, labels))
    return LoadedSet(spec, composer, cases, held, examples)


def _overlaps_gold(composer: Composer, row: int, gold: tuple[str, ...] | None) -> bool:
    if not gold:
        return False
    sentence = composer.corpus.sentences[row]
    text = composer.corpus.document(sentence.doc_id).text
    for string in gold:
        if string in sentence.text:
            return True
        start = text.find(string, max(0, sentence.start - len(string)))
        if 0 <= start < sentence.end and start + len(string) > sentence.start:
            return True
    return False


def fit_logistic(x: np.ndarray, y: np.ndarray, weights: np.ndarray, l2: float, iterations: int = 50) -> np.ndarray:
    """Weighted, L2-regularised logistic regression by Newton's method, deterministic so refits reproduce.

    The last coefficient is the (unregularised) intercept. No random start, no sampling.
    """
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (weights * (p - y)) + penalty * beta
        hessian = (design * (weights * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta


def ranking_data(examples: Sequence[Example], exclude: Sequence[str] = ()) -> tuple[np.ndarray, ...]:
    """Features, labels and weights giving each question's gold and other candidates half the weight each.

    Questions with nothing to rank are left out, so a question with many candidates counts no more than
    one with few; ``exclude``d features are zeroed, to measure what each one adds.
    """
    xs, ys, ws = [], [], []
    for example in examples:
        positives = example.labels.sum()
        negatives = len(example.labels) - positives
        if not positives or not negatives:
            continue  # nothing to rank: no gold among the candidates, or nothing else
        xs.append(example.features)
        ys.append(example.labels)
        ws.append(np.where(example.labels > 0, 0.5 / positives, 0.5 / negatives))
    x = np.vstack(xs)
    for name in exclude:
        x[:, FEATURES.index(name)] = 0.0
    return x, np.concatenate(ys), np.concatenate(ws)


def fit_ranker(examples: Sequence[Example], exclude: Sequence[str] = ()) -> Reranker:
    """The ranking weights alone; the confidence is the bare score's sigmoid until ``calibrate`` fits it."""
    x, y, w = ranking_data(examples, exclude)
    beta = fit_logistic(x, y, w, REGULARISATION)
    return Reranker(weights=beta[:-1], bias=float(beta[-1]), calibration=(1.0, 0.0, 0.0, 0.0, 0.0))


def with_reranker(composer: Composer, reranker: Reranker) -> Composer:
    """A shallow copy of ``composer`` that ranks with other weights (index-time data shared)."""
    other = copy.copy(composer)
    other.reranker = reranker
    return other


def calibrate(reranker: Reranker, sets: Sequence[LoadedSet]) -> Reranker:
    """Platt scaling of the first quote's score and margin on the training questions answered."""
    rows, hits = [], []
    for loaded in sets:
        composer = with_reranker(loaded.composer, reranker)
        for case in loaded.split(held_out=False):
            text = " ".join(case.question.split())
            _, _, searched, tokens = composer.prepare(text)
            if not tokens:
                continue
            ranking = composer.rank(searched, tokens)
            if not ranking.on_topic:
                continue
            chosen = composer.quotes.distinct(ranking.rows.tolist(), set(ranking.question.terms), 2)
            quote = composer.quotes.quote(chosen[0][1], set(), 0.0)
            rows.append(calibration_inputs(ranking, chosen))
            hits.append(bool(case.gold) and any(g in quote.text for g in case.gold or ()))
    beta = fit_logistic(np.asarray(rows), np.asarray(hits, dtype=float), np.ones(len(rows)), CALIBRATION_REGULARISATION)
    return Reranker(reranker.weights, reranker.bias, tuple(float(b) for b in beta))


def train(sets: Sequence[LoadedSet], exclude: Sequence[str] = ()) -> Reranker:
    """Fit ranking weights on the training part of ``sets``, then calibrate them."""
    examples = [
        example for loaded in sets for example, held in zip(loaded.examples, _held_of(loaded), strict=True) if not held
    ]
    return calibrate(fit_ranker(examples, exclude), sets)


def _held_of(loaded: LoadedSet) -> list[bool]:
    """Held-out flags aligned with ``loaded.examples`` (questions without terms have no example)."""
    flags = dict(zip(map(id, loaded.cases), loaded.held, strict=True))
    return [flags[id(example.case)] for example in loaded.examples]


def report(loaded: LoadedSet, reranker: Reranker, held_out: bool | None) -> EvalReport:
    """Answer quality of ``reranker`` on a set's held-out part (True), training part (False) or all (None)."""
    composer = with_reranker(loaded.composer, reranker)
    cases = loaded.cases if held_out is None else loaded.split(held_out)
    return evaluate(cases, composer.answer)


def versioned(reranker: Reranker, sets: Sequence[LoadedSet], held_out: dict[str, dict]) -> Reranker:
    """The reranker stamped with a version naming its training data and weights."""
    digest = hashlib.sha256()
    for loaded in sets:
        digest.update(loaded.spec.questions.read_bytes())
    digest.update(reranker.weights.round(6).tobytes())
    training = {
        "sets": {loaded.spec.name: loaded.spec.questions.name for loaded in sets},
        "hold_out": "every fourth Rhine paragraph and every fourth written news question",
        "held_out_metrics": held_out,
    }
    return Reranker(reranker.weights, reranker.bias, reranker.calibration, digest.hexdigest()[:12], training)
