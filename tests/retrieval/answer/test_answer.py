"""The answer composer: verbatim quotes, abstention, bad input, conflicting figures, links."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from retrieval.answer.composer import MAX_QUESTION_CHARS, NO_TERMS, USAGE
from retrieval.answer.figures import _figures
from retrieval.corpus.links import text_fragment
from retrieval.engine import Engine
from retrieval.evaluation.answers import evaluate, read_cases
from retrieval.models import Quote
from tests.conftest import DATA

REASON_CODES = {"usage", "no_terms", "foreign", "not_mentioned", "weak_match"}


def test_dev_set_quality_floor(seed_engine: Engine) -> None:
    report = evaluate(read_cases(DATA / "dev_questions.jsonl"), seed_engine.ask)
    metrics = report.metrics()
    print(json.dumps(metrics))
    assert metrics["hit@1"] >= 0.90, report.misses
    assert metrics["hit@3"] >= 0.97, report.misses
    assert report.abstained_unanswerable >= 5, report.misses
    assert report.abstained_answerable <= 1, report.misses


def test_every_quote_is_verbatim_and_cited(seed_engine: Engine) -> None:
    for case in read_cases(DATA / "dev_questions.jsonl"):
        answer = seed_engine.ask(case.question)
        for quote in (*answer.quotes, *answer.suggestions, *answer.more):
            document = seed_engine.corpus.document(quote.doc_id)
            assert document.text[quote.start : quote.end] == quote.text
            assert quote.text in document.text
            lines = document.text.splitlines()
            assert quote.text.split("\n")[0] in lines[quote.line_start - 1]
            assert 0.0 <= quote.score <= 1.0
            assert quote.url.endswith(f"#L{quote.line_start}-L{quote.line_end}")
            for start, end in quote.highlights:
                assert 0 <= start < end <= len(quote.text)
        assert len(answer.quotes) <= 3 and len(answer.suggestions) <= 3
        if not answer.answered:
            assert answer.quotes == () and answer.reason


def test_no_near_duplicate_quotes(seed_engine: Engine) -> None:
    answer = seed_engine.ask("What did Medea Benjamin say about oil, power and regime change?")
    openings = [q.text[:60] for q in answer.quotes]
    assert len(openings) == len(set(openings))


def test_quote_joins_the_sentence_it_leans_on(seed_engine: Engine) -> None:
    # "He's the author of the book …" cannot stand alone: the sentence naming him comes with it.
    answer = seed_engine.ask("What book did John Lindsay-Poland write?")
    assert "John Lindsay-Poland told Truthout. He’s the author of the book" in answer.quotes[0].text


def test_conflicting_death_tolls_are_both_shown_with_dates(seed_engine: Engine) -> None:
    answer = seed_engine.ask("What was the death toll of the boat strikes?")
    assert answer.answered and answer.conflicts
    conflict = answer.conflicts[0]
    figures = {written: when.isoformat() for written, when, _ in conflict.figures}
    assert figures == {"roughly 106": "2025-12-29", "at least 115": "2026-01-06"}
    for _, _, index in conflict.figures:
        assert answer.quotes[index].date is not None


def test_no_conflict_between_figures_of_different_things(seed_engine: Engine) -> None:
    assert seed_engine.ask("How many homes burned in Panama City?").conflicts == ()


def test_a_number_word_inside_another_word_is_no_figure() -> None:
    quote = Quote("Strikes often killed at least 115 people.", "d", "t", date(2026, 1, 6), "u", 1, 1, 0.5)
    assert [written for written, _, _ in _figures(quote, {"strike"})] == ["at least 115"]


@pytest.mark.parametrize(
    ("question", "reason", "code"),
    [
        ("", USAGE, "usage"),
        ("   \n\t ", USAGE, "usage"),
        ("what is the of the?", NO_TERMS, "no_terms"),
        ("?!... ---", NO_TERMS, "no_terms"),
    ],
)
def test_empty_and_stopword_questions_get_a_clear_reason(
    seed_engine: Engine, question: str, reason: str, code: str
) -> None:
    answer = seed_engine.ask(question)
    assert (answer.answered, answer.reason, answer.quotes) == (False, reason, ())
    assert (answer.reason_code, answer.reason_terms) == (code, ())


@pytest.mark.parametrize(
    "question",
    [
        "¿Qué pasó con la economía de Bolivia ayer?",
        "马杜罗发生了什么？",
        "Was ist mit der Wirtschaft los?",
        "'; DROP TABLE queries; --",
        "@everyone @here <@123> **bold** `code`",
        "\u202eevil\u200b\u0000 zero width",
    ],
)
def test_odd_and_foreign_input_abstains_politely(seed_engine: Engine, question: str) -> None:
    answer = seed_engine.ask(question)
    assert not answer.answered
    assert answer.reason and "corpus" in answer.reason
    assert answer.reason_code in REASON_CODES  # every refusal can be said in another language


def test_off_topic_refusals_name_the_missing_words_for_translation(seed_engine: Engine) -> None:
    answer = seed_engine.ask("Who wrote Hamlet?")
    assert not answer.answered and answer.reason_code == "not_mentioned"
    assert answer.reason_terms and all(repr(word) in (answer.reason or "") for word in answer.reason_terms)
    assert "Hamlet" in answer.reason_terms
    assert seed_engine.ask("Who is Ricardo Vaz?").reason_code is None  # answered: no reason


def test_long_questions_are_cut_with_a_notice(seed_engine: Engine) -> None:
    answer = seed_engine.ask("Who is Steve Ellner? " + "please " * 400)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert answer.notice and str(MAX_QUESTION_CHARS) in answer.notice
    assert (answer.notice_code, answer.cut_at) == ("question_cut", MAX_QUESTION_CHARS)
    assert answer.answered
    assert seed_engine.ask("Who is Steve Ellner?").notice_code is None


def test_json_contract_keys(seed_engine: Engine) -> None:
    record = seed_engine.ask("Who is Ricardo Vaz?").to_dict()
    assert list(record) == ["question", "answered", "reason", "quotes", "suggestions", "confidence", "corrected"]
    assert 0.0 <= record["confidence"] <= 1.0
    assert list(record["quotes"][0]) == [
        *("text", "doc_id", "title", "date", "url", "line_start", "line_end", "score", "heading_path", "page")
    ]
    json.dumps(record)


def test_links_prefer_metadata_url_then_base_url(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The harbour-master said the port re-opened, finally.\n", encoding="utf-8")
    plain = Engine.load(tmp_path, label="news").ask("harbour master port")
    assert plain.quotes[0].url == "news/a.txt#L1-L1"
    based = Engine.load(tmp_path, base_url="https://git.example/repo/blob/main/news/").ask("harbour master port")
    assert based.quotes[0].url == "https://git.example/repo/blob/main/news/a.txt#L1-L1"
    (tmp_path / "metadata.json").write_text('{"a": {"url": "https://paper.example/a#top"}}', encoding="utf-8")
    linked = Engine.load(tmp_path).ask("harbour master port")
    assert linked.quotes[0].url.startswith("https://paper.example/a#:~:text=The%20harbour%2Dmaster")


def test_text_fragment_uses_start_and_end_for_long_quotes() -> None:
    long = " ".join(f"word{i}" for i in range(40))
    start = "%20".join(f"word{i}" for i in range(6))
    end = "%20".join(f"word{i}" for i in range(34, 40))
    assert text_fragment(long) == f"#:~:text={start},{end}"
    assert text_fragment("a, b & c-d") == "#:~:text=a%2C%20b%20%26%20c%2Dd"


def test_context_returns_the_whole_paragraph(seed_engine: Engine) -> None:
    quote = seed_engine.ask("What do the murals in El Chorrillo depict?").quotes[0]
    paragraph, (start, end) = seed_engine.context(quote)
    assert paragraph[start:end] == quote.text
    assert paragraph.startswith("U.S. forces killed more than 500 people.")
