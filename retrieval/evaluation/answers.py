"""Answer quality on a question file: the numbers `corpusbot eval` prints and CI holds a floor on.

File format, one JSON object a line: ``{"q": question, "gold": [substrings] | null}``; a gold
substring inside a quote makes it a hit, ``null`` means the corpus does not answer the question.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.corpus.links import normalised
from retrieval.models import Answer, Quote


@dataclass(frozen=True, slots=True)
class EvalCase:
    """One line of a question file; ``gold`` None means the corpus does not answer it and the bot should refuse."""

    question: str
    gold: tuple[str, ...] | None


@dataclass(slots=True)
class EvalReport:
    """Counts accumulated over a question file, kept raw so reports can print both shares and counts."""

    answerable: int = 0
    unanswerable: int = 0
    hit_at_1: int = 0
    hit_at_3: int = 0
    abstained_unanswerable: int = 0
    abstained_answerable: int = 0
    misses: list[str] = field(default_factory=list)
    outcomes: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, first quote holds the answer)

    def metrics(self) -> dict[str, float | int]:
        """The figures `corpusbot eval` prints and CI holds floors on, by name."""
        return {
            "questions": self.answerable + self.unanswerable,
            "hit@1": _share(self.hit_at_1, self.answerable),
            "hit@3": _share(self.hit_at_3, self.answerable),
            "unanswerable_abstained": _share(self.abstained_unanswerable, self.unanswerable),
            "answerable_abstained": _share(self.abstained_answerable, self.answerable),
            "unanswerable_abstained_count": self.abstained_unanswerable,
            "unanswerable_count": self.unanswerable,
            "answerable_abstained_count": self.abstained_answerable,
            "ece": round(expected_calibration_error(self.outcomes), 4),
        }

    def reliability(self, bins: int = 10) -> list[tuple[float, float, float, int]]:
        """Per confidence bin: (lower edge, mean confidence, share of first quotes that hit, questions)."""
        return reliability_table(self.outcomes, bins)


def reliability_table(outcomes: list[tuple[float, bool]], bins: int = 10) -> list[tuple[float, float, float, int]]:
    """Bins of equal width over 0..1; a confidence of exactly 1 falls in the last bin. Empty bins are left out."""
    table = []
    for number in range(bins):
        low, high = number / bins, (number + 1) / bins
        held = [(c, hit) for c, hit in outcomes if low <= c < high or (number == bins - 1 and c == high)]
        if held:
            mean = sum(c for c, _ in held) / len(held)
            table.append((low, mean, sum(hit for _, hit in held) / len(held), len(held)))
    return table


def expected_calibration_error(outcomes: list[tuple[float, bool]], bins: int = 10) -> float:
    """Σ over bins of (share of questions in the bin) × |mean confidence − share that hit|."""
    if not outcomes:
        return 0.0
    table = reliability_table(outcomes, bins)
    return sum(count / len(outcomes) * abs(mean - observed) for _, mean, observed, count in table)


def _holds(quote: Quote, gold: tuple[str, ...]) -> bool:
    """Whether the quote holds a gold substring, as written or as rendered: gold is copied from what a reader sees.

    The rendered text has markup removed and PDF ligatures and line breaks folded.
    """
    if any(g in quote.text for g in gold):
        return True
    rendered = normalised(quote.rendered or quote.text)
    return any(normalised(g) in rendered for g in gold)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def read_cases(path: Path) -> list[EvalCase]:
    """Read an evaluation file; blank lines are skipped, a malformed line raises ValueError."""
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            gold = record["gold"]
            cases.append(EvalCase(str(record["q"]), None if gold is None else tuple(map(str, gold))))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not an evaluation record ({error})") from error
    return cases


def evaluate(cases: Iterable[EvalCase], ask: Callable[[str], Answer]) -> EvalReport:
    """Ask every question and count hits and abstentions."""
    report = EvalReport()
    for case in cases:
        answer = ask(case.question)
        first_hit = bool(case.gold and answer.quotes and any(g in answer.quotes[0].text for g in case.gold))
        report.outcomes.append((answer.confidence if answer.answered else 0.0, first_hit))
        if case.gold is None:
            report.unanswerable += 1
            if not answer.answered:
                report.abstained_unanswerable += 1
            else:
                report.misses.append(f"answered an unanswerable question: {case.question}")
            continue
        report.answerable += 1
        if not answer.answered:
            report.abstained_answerable += 1
            report.misses.append(f"abstained: {case.question}")
            continue
        hits = [_holds(quote, case.gold) for quote in answer.quotes]
        report.hit_at_1 += bool(hits[:1] and hits[0])
        report.hit_at_3 += any(hits[:3])
        if not any(hits[:3]):
            report.misses.append(f"no hit in the top 3: {case.question}")
        elif not hits[0]:
            report.misses.append(f"hit at 2 or 3 only: {case.question}")
    return report
