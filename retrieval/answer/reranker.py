"""The learned second stage: a linear score over the features, and a calibrated confidence.

Both come from ``weights.json``, written by ``corpusbot train`` (see ``retrieval/answer/training.py``)
and shipped with the package. The score of a candidate sentence is ``features · weights + bias``
(a logistic regression's log-odds that the sentence holds the answer). The confidence of an answer
is Platt scaling (a logistic regression) of CALIBRATION_INPUTS: the first quote's score, its margin
over the second, the share of the question's terms its sentence holds and the question's topic
score; it estimates the probability, measured on the training questions, that the first quote
holds the answer.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.answer.features import FEATURES

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
FORMAT = 1
CALIBRATION_INPUTS = ("score", "margin", "sentence_coverage", "topic")


@dataclass(frozen=True)
class Reranker:
    """The fitted weights and calibration, as shipped in ``weights.json``; immutable, shared by every answer."""

    weights: np.ndarray  # one per FEATURES entry
    bias: float
    calibration: tuple[float, ...]  # Platt: sigmoid(coefficients · CALIBRATION_INPUTS + last)
    version: str = "untrained"
    training: dict[str, Any] | None = None  # what the weights were fitted on, and held-out figures

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Log-odds that each feature row's sentence holds the answer: the order candidates are shown in."""
        return rows @ self.weights + self.bias

    def confidence(self, inputs: tuple[float, ...]) -> float:
        """Calibrated probability from the CALIBRATION_INPUTS of an answer's first quote."""
        *coefficients, intercept = self.calibration
        z = sum(c * v for c, v in zip(coefficients, inputs, strict=True)) + intercept
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> Reranker:
        """Read a weights file; its features must be exactly the ones this code computes."""
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        if record.get("format") != FORMAT or tuple(record["features"]) != FEATURES or len(record["calibration"]) != 5:
            raise ValueError(f"{path}: weights for other features; run `corpusbot train`")
        return cls(
            weights=np.asarray([record["weights"][name] for name in FEATURES], dtype=np.float64),
            bias=float(record["bias"]),
            calibration=tuple(float(v) for v in record["calibration"]),
            version=str(record["version"]),
            training=record.get("training"),
        )

    def to_json(self) -> str:
        """The weights file's text, rounded and stable, so `corpusbot train --check` can compare it byte for byte."""
        record = {
            "format": FORMAT,
            "version": self.version,
            "features": list(FEATURES),
            "weights": {name: round(float(w), 6) for name, w in zip(FEATURES, self.weights, strict=True)},
            "bias": round(self.bias, 6),
            "calibration": [round(v, 6) for v in self.calibration],
            "training": self.training,
        }
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
