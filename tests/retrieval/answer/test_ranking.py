"""Two-stage ranking on a corpus it was not written for (Rhine), typo tolerance, language, calibration."""

from __future__ import annotations

import json

import pytest

from bot.cli.terminal import format_answer
from retrieval.answer.features import DATE, NAME, NUMBER, question_type, sentence_kinds
from retrieval.engine import Engine
from retrieval.evaluation.answers import evaluate, expected_calibration_error, read_cases, reliability_table
from retrieval.text.analysis import fold_for_tokens, tokenize
from tests.conftest import DATA

RHINE = DATA / "rhine"


@pytest.fixture(scope="module")
def rhine_engine() -> Engine:
    return Engine.load(RHINE / "corpus", label="rhine")


def test_rhine_quality_floor(rhine_engine: Engine) -> None:
    report = evaluate(read_cases(RHINE / "questions.jsonl"), rhine_engine.ask)
    metrics = report.metrics()
    print(json.dumps(metrics))
    assert metrics["hit@1"] >= 0.80, report.misses
    assert metrics["hit@3"] >= 0.92, report.misses
    assert metrics["answerable_abstained"] <= 0.02, report.misses
    assert metrics["ece"] <= 0.15


def test_paraphrase_without_shared_words_is_answered_not_refused(seed_engine: Engine) -> None:
    answer = seed_engine.ask("Did anyone die in the strike on the dock?")
    assert answer.answered
    assert any("without causing any casualties" in quote.text for quote in answer.quotes)


def test_a_typo_is_corrected_and_said(seed_engine: Engine) -> None:
    answer = seed_engine.ask("Where is Madruo now?")
    assert answer.corrected == "Where is Maduro now?"
    assert answer.answered and "Maduro" in answer.quotes[0].text
    assert format_answer(answer).startswith("Showing results for: Where is Maduro now?")


@pytest.mark.parametrize("question", ["When did Noriega get caught?", "Who is Steve Ellner?", "recipe for sourdough"])
def test_real_words_and_known_forms_are_not_corrected(seed_engine: Engine, question: str) -> None:
    assert seed_engine.ask(question).corrected is None


def test_only_foreign_questions_are_told_the_corpus_is_english(seed_engine: Engine) -> None:
    foreign = seed_engine.ask("¿Qué pasó con la economía de Bolivia ayer?")
    assert not foreign.answered and "English" in (foreign.reason or "")
    assert foreign.reason_code == "foreign"
    off_topic = seed_engine.ask("What is the tallest mountain in the world?")
    assert not off_topic.answered and "English" not in (off_topic.reason or "")


def test_confidence_orders_a_good_answer_above_a_weak_one(seed_engine: Engine) -> None:
    good = seed_engine.ask("Who is Ricardo Vaz?")
    weak = seed_engine.ask("Who was taken along with Maduro?")
    refused = seed_engine.ask("Who wrote Hamlet?")
    assert 1.0 >= good.confidence > weak.confidence > refused.confidence == 0.0


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the Rhine freeze?", DATE),
        ("In what year was the bridge built?", DATE),
        ("How many people live in Basel?", NUMBER),
        ("How long is the Rhine?", NUMBER),
        ("Who wrote the report?", NAME),
        ("Who is the president of Venezuela?", NAME),
        ("who is steve ellner", 0),  # asks for a description, not a name
        ("Where does the Rhine begin?", NAME),
        ("Why did the US invade Panama?", 0),
    ],
)
def test_question_types(question: str, kind: int) -> None:
    assert question_type(question) == kind


def test_sentence_kinds_find_dates_numbers_and_names() -> None:
    text = "In 1989 the U.S. sent 27,000 troops to Panama on May 5, said Olmedo Beluche."
    kinds = dict(sentence_kinds(text, tokenize(fold_for_tokens(text))))
    assert kinds["1989"] == DATE and kinds["27000"] == NUMBER and kinds["may"] == DATE | NAME
    assert kinds["panama"] == kinds["olmedo"] == kinds["beluch"] == NAME
    plain = "it may rain all day and nobody came."
    assert sentence_kinds(plain, tokenize(plain)) == ()


def test_reliability_table_and_ece() -> None:
    outcomes = [(0.9, True)] * 9 + [(0.9, False)] + [(0.2, False)] * 4 + [(0.2, True)]
    table = reliability_table(outcomes)
    assert [(round(low, 1), round(mean, 2), round(seen, 2), n) for low, mean, seen, n in table] == [
        (0.2, 0.2, 0.2, 5),
        (0.9, 0.9, 0.9, 10),
    ]
    assert expected_calibration_error(outcomes) == pytest.approx(0.0)
    assert expected_calibration_error([(1.0, False), (0.0, True)]) == pytest.approx(1.0)
