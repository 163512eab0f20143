"""`corpusbot train`: refit the answer reranker and its calibration on the public training questions.

Reproducible (no randomness): the same questions give the same ``weights.json``. Prints the fitted
weights, the held-out figures, a cross-article check (fit on news only → Rhine, fit on Rhine only →
news) and, with ``--ablation``, the held-out figures with each feature left out.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings
from retrieval.answer import training
from retrieval.answer.features import FEATURES
from retrieval.answer.reranker import WEIGHTS_PATH, Reranker
from retrieval.evaluation.answers import EvalReport

logger = logging.getLogger(__name__)

FIGURES = ("hit@1", "hit@3", "answerable_abstained_count", "unanswerable_abstained_count", "ece")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register `corpusbot train`."""
    train = commands.add_parser("train", help="refit the answer reranker on the public training questions")
    train.add_argument("--data", type=Path, default=training.DATA_ROOT, help="folder of the question files")
    train.add_argument("--output", type=Path, default=WEIGHTS_PATH, help="weights file to write")
    train.add_argument("--ablation", action="store_true", help="also refit without each feature in turn")
    train.add_argument("--check", action="store_true", help="refit and compare with --output; write nothing")
    train.add_argument("--no-report", action="store_true", help="skip the cross-article figures")
    train.set_defaults(handler=cmd_train)


def _figures(report: EvalReport) -> dict[str, float | int]:
    metrics = report.metrics()
    return {name: metrics[name] for name in FIGURES}


def held_out_figures(sets: list[training.LoadedSet], reranker: Reranker) -> dict[str, dict]:
    """hit@1, hit@3 and refusals on each set's held-out questions: what the weights file reports."""
    return {
        loaded.spec.name: _figures(training.report(loaded, reranker, held_out=True))
        for loaded in sets
        if any(loaded.held)
    }


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    """`corpusbot train`: refit, report, and write (or with --check, compare) the shipped weights."""
    sets = [training.load_set(spec) for spec in training.default_sets(args.data)]
    fitted = training.train(sets)
    fitted = training.versioned(fitted, sets, held_out_figures(sets, fitted))
    if args.check:
        shipped = Reranker.load(args.output)
        same = shipped.to_json() == fitted.to_json()
        print("weights reproduced exactly" if same else f"refitted weights differ from {args.output}")
        return 0 if same else 1
    args.output.write_text(fitted.to_json(), encoding="utf-8")
    print(f"wrote {args.output} (version {fitted.version})")
    print("weights:")
    for name, weight in zip(FEATURES, fitted.weights, strict=True):
        print(f"  {name:<18} {weight:+.3f}")
    print(f"  {'bias':<18} {fitted.bias:+.3f}")
    print("held out:", json.dumps(fitted.training["held_out_metrics"] if fitted.training else {}))
    if args.no_report:
        return 0
    for name, figures in cross_article(sets).items():
        print(f"cross-article (fitted on the other corpus) {name}:", json.dumps(figures))
    if args.ablation:
        print("ablation, hit@1 without each feature (cross-article, and held out):")
        for feature in FEATURES:
            crossed = {name: f["hit@1"] for name, f in cross_article(sets, exclude=[feature]).items()}
            reduced = training.train(sets, exclude=[feature])
            held = {name: f["hit@1"] for name, f in held_out_figures(sets, reduced).items()}
            print(f"  -{feature:<18} cross {json.dumps(crossed)} held out {json.dumps(held)}")
    return 0


def cross_article(sets: list[training.LoadedSet], exclude: Sequence[str] = ()) -> dict[str, dict]:
    """Each set's figures with weights fitted only on the sets of the other corpora."""
    figures = {}
    for corpus in sorted({loaded.spec.corpus for loaded in sets}):
        crossed = training.train([s for s in sets if s.spec.corpus != corpus], exclude)
        for loaded in (s for s in sets if s.spec.corpus == corpus):
            figures[loaded.spec.name] = _figures(training.report(loaded, crossed, held_out=None))
    return figures
