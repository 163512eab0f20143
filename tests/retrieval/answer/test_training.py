"""`corpusbot train` is reproducible, holds questions out by paragraph, and fits what it should."""

from __future__ import annotations

import numpy as np
import pytest

from bot.cli.main import main
from retrieval.answer import training
from retrieval.answer.reranker import WEIGHTS_PATH, Reranker
from retrieval.evaluation.answers import EvalCase
from tests.conftest import DATA


def test_refitting_gives_the_shipped_weights(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "weights.json"
    assert main(["train", "--data", str(DATA), "--output", str(output), "--no-report"]) == 0
    shipped, refitted = Reranker.load(WEIGHTS_PATH), Reranker.load(output)
    np.testing.assert_allclose(refitted.weights, shipped.weights, atol=1e-5)
    np.testing.assert_allclose(refitted.calibration, shipped.calibration, atol=1e-5)
    assert refitted.bias == pytest.approx(shipped.bias, abs=1e-5)
    assert refitted.version == shipped.version
    assert "wrote" in capsys.readouterr().out


def test_held_out_rhine_questions_follow_their_paragraph() -> None:
    text = "# Title\n\nFirst para about alpha.\n\nSecond beta.\n\nThird gamma.\n\nFourth delta here."
    cases = [
        EvalCase("q1", ("alpha",)),
        EvalCase("q2", ("gamma",)),  # paragraph 3 (the title is paragraph 0): held out
        EvalCase("q3", None),  # goes with the paragraph of the question before it
        EvalCase("q4", ("delta",)),
    ]
    assert training.every_fourth_paragraph(cases, text) == [False, True, True, False]
    assert training.every_fourth_line(cases, text) == [False, False, False, True]


def test_logistic_fit_is_deterministic_and_recovers_the_direction() -> None:
    grid = np.linspace(0, 1, 21)
    x = np.array([[a, b] for a in grid for b in grid])
    y = (x[:, 0] - x[:, 1] > 0).astype(float)
    first = training.fit_logistic(x, y, np.ones(len(y)), l2=1.0)
    second = training.fit_logistic(x, y, np.ones(len(y)), l2=1.0)
    assert np.array_equal(first, second)
    assert first[0] > 0 > first[1]
    assert first[0] == pytest.approx(-first[1], rel=1e-6)  # the data is symmetric
