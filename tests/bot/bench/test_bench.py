"""`corpusbot bench`: its synthetic corpus and its output contract. Speed is never asserted here."""

from __future__ import annotations

import importlib.util
import json

import pytest

from bot.bench import run as bench
from bot.bench.corpus import VOCABULARY, Workload, question_text, synthetic_workload, vocabulary
from bot.cli.main import main
from retrieval.text.analysis import terms

JSON_KEYS = [
    "passages",
    "build_s",
    "retrieve_p50_ms",
    "retrieve_p99_ms",
    "answer_p50_ms",
    "answer_p99_ms",
    "rank_bm25_p50_ms",
    "bm25s_p50_ms",
    "peak_rss_mb",
]
PEER_KEYS = [
    "bm25s_numba_p50_ms",
    "tantivy_p50_ms",
    "index_load_s",
    "bm25s_numba_load_s",
    "tantivy_load_s",
    "process_rss_mb",
]


@pytest.fixture(scope="module")
def workload() -> Workload:
    return synthetic_workload(300, 20, seed=7)


def _texts(w: Workload) -> list[str]:
    return [d.text for d in w.corpus.documents]


def test_same_seed_same_workload_and_query_count_leaves_the_corpus_alone(workload: Workload) -> None:
    again = synthetic_workload(300, 20, seed=7)
    assert _texts(again) == _texts(workload)
    assert again.queries == workload.queries
    assert again.corpus.version == workload.corpus.version
    assert _texts(synthetic_workload(300, 5, seed=7)) == _texts(workload)
    other = synthetic_workload(300, 20, seed=8)
    assert _texts(other) != _texts(workload)
    assert other.queries != workload.queries


def test_questions_analyse_to_their_terms(workload: Workload) -> None:
    assert all(2 <= len(q) <= 6 and len(set(q)) == len(q) for q in workload.queries)
    for query, question in zip(workload.queries, workload.questions(), strict=True):
        assert question == question_text(query)
        assert terms(question, query=True) == list(query)
    held = {t for d in workload.corpus.documents for t in terms(d.text[d.body_start :])}
    assert all(any(t in held for t in q) for q in workload.queries)


def test_corpus_offsets_and_numbering_are_consistent(workload: Workload) -> None:
    corpus = workload.corpus
    assert len(corpus.passages) == 300
    assert [p.index for p in corpus.passages] == list(range(300))
    assert sum(len(terms(s.text)) for s in corpus.sentences) == workload.term_count
    for document in corpus.documents:
        sentences = corpus.sentences_of(document.doc_id)
        assert [s.index for s in sentences] == list(range(len(sentences)))
        for sentence in sentences:
            assert document.text[sentence.start : sentence.end] == sentence.text
            assert document.line_of(sentence.start) == sentence.line_start
            assert sentence.start >= document.body_start
    for passage in corpus.passages:
        document = corpus.document(passage.doc_id)
        sentences = corpus.sentences_of(passage.doc_id)
        assert document.text[passage.start : passage.end] == passage.text
        assert sentences[passage.first_sentence].start == passage.start
        assert sentences[passage.last_sentence].end == passage.end
        assert {s.paragraph for s in sentences[passage.first_sentence : passage.last_sentence + 1]} == {
            passage.paragraph
        }


def test_json_is_one_list_with_an_object_per_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--sizes", "150,200", "--queries", "5", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["passages"] for r in results] == [150, 200]
    for result in results:
        assert list(result)[: len(JSON_KEYS)] == JSON_KEYS
        assert all(isinstance(result[key], int | float) and result[key] > 0 for key in JSON_KEYS + PEER_KEYS)
        assert {"index_rss_mb", "bm25s_rss_mb", "bm25s_numba_rss_mb", "tantivy_rss_mb"} <= set(result)
        assert result["queries"] == result["rank_bm25_queries"] == 5
        assert result["bm25s_top1_agree"] == result["rank_bm25_top1_agree"] == 1.0
        assert result["bm25s_numba_top1_agree"] == 1.0


def test_missing_optional_packages_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "bm25s" else real(name, *a))
    assert main(["bench", "--sizes", "100", "--json"]) == 2
    captured = capsys.readouterr()
    assert "pip install '.[bench]'" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("sizes", ["0", "ten", ""])
def test_bad_sizes_are_refused(sizes: str) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--sizes", sizes])


def _result(passages: int, retrieve: float, answer: float, versus: float, engine: float = 300.0) -> dict[str, float]:
    return {
        "passages": passages,
        "retrieve_p50_ms": retrieve,
        "answer_p50_ms": answer,
        "retrieve_vs_bm25s_numba": versus,
        "engine_rss_mb": engine,
    }


def test_targets_report_misses_and_unmeasured_sizes() -> None:
    report = bench.format_targets(
        [_result(1000, 0.05, 3.0, 2.5), _result(50_000, 1.4, 1.5, 0.3), _result(200_000, 1.0, 4.0, 1.2, 1200.0)]
    )
    assert "≤ 1 ms at 50k: MISSED (1.400 ms)" in report
    assert "from 50,000 passages: MISSED at 200,000 (1,000: 2.50×, 50,000: 0.30×, 200,000: 1.20×)" in report
    assert "≤ 2 ms at 50k: holds (1.500 ms)" in report
    assert "engine memory ≤ 400 MB at 50,000: holds (300 MB)" in report
    assert "engine memory ≤ 1,000 MB at 200,000: MISSED (1,200 MB)" in report
    assert "not measured" in bench.format_targets([_result(1000, 0.05, 3.0, 1.0)])


def test_vocabulary_words_are_distinct_kept_by_analysis_and_ranked_by_seed() -> None:
    words = vocabulary(0)
    assert len(words) == len(set(words)) == VOCABULARY
    assert terms(" ".join(words[:3000])) == list(words[:3000])
    assert vocabulary(1)[:100] != words[:100]
