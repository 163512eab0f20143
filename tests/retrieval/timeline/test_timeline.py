"""The timeline: seed events in date order, the JSON contract, merging, filters, and the gold floor."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from retrieval.corpus.loader import load_corpus
from retrieval.engine import Engine
from retrieval.evaluation.timeline import GoldEntry, GoldEvent, read_gold, score_timeline
from retrieval.timeline.events import TimelineEvent, all_events, build_timeline, parse_bound

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold_timeline.json"
KEY_FORMAT = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "week": r"\d{4}-\d{2}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}


def _find(events: tuple[TimelineEvent, ...], key: str, snippet: str) -> TimelineEvent:
    matching = [e for e in events if e.key == key and snippet in e.text]
    assert len(matching) == 1, f"{key} {snippet!r}: {[(e.key, e.text[:40]) for e in events if snippet in e.text]}"
    return matching[0]


def _corpus(tmp_path: Path, files: dict[str, str]) -> Engine:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return Engine.load(folder, label="corpus")


# --- the seeds -------------------------------------------------------------------------------------


def test_seed_events_span_1915_to_january_2026_in_order(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine).events
    assert events[0].key == "1915" and "Haiti in 1915" in events[0].text
    assert events[-1].date == dt.date(2026, 1, 4) and "Trump announced the next day" in events[-1].text
    expected = [
        ("1989-12-20", "On December 20, 1989, U.S. President George H.W. Bush ordered"),
        ("1990-01-03", "He was detained on January 3, 1990"),
        ("2025-10", "Trump confirmed in October"),
        ("2025-11-27", "military personnel on Thanksgiving"),
        ("2025-12-26", "in a Dec. 26 radio interview"),
        ("2025-12-29", "On Dec. 29, at the direction of"),
        ("2026-01-03", "The bombs fell in the early hours of January 3."),
    ]
    positions = [events.index(_find(events, key, snippet)) for key, snippet in expected]
    assert positions == sorted(positions)
    assert [(e.date, e.order) for e in events] == sorted((e.date, e.order) for e in events)


def test_labels_and_periods(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine).events
    early_september = _find(events, "2025-09", "since early September")
    assert (early_september.label, early_september.qualifier) == ("early Sep 2025", "early")
    assert early_september.last_day == dt.date(2025, 9, 30)
    week = _find(events, "2025-12-22", "oil tanker last week")
    assert week.granularity == "week" and week.date.weekday() == 0 and week.last_day == dt.date(2025, 12, 28)
    assert _find(events, "1989-12-20", "Bush ordered").label == "20 Dec 1989"


def test_a_sentence_with_two_dates_is_under_each(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine).events
    told = [e for e in events if any("in Haiti in 1915 or in Panama in 1989" in s.text for s in e.sources)]
    assert sorted(e.key for e in told) == ["1915", "1989-12-20"]
    detained = [e for e in events if any("He was detained on January 3, 1990" in s.text for s in e.sources)]
    assert sorted(e.key for e in detained) == ["1990-01-03", "2026-01-03"]


def test_one_entry_per_event_at_its_finest_date(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine).events
    panama = _find(events, "1989-12-20", "Bush ordered")
    lines = [s.line_start for s in panama.sources]
    assert panama.text.startswith("On December 20, 1989,") and lines[0] == 37
    assert {23, 27, 29, 63} <= set(lines) and len(panama.sources) == len(set(panama.sources))
    assert len([e for e in events if e.key == "1989-12-20"]) == 1
    strike = _find(events, "2025-12-29", "On Dec. 29, at the direction of")
    assert [s.line_start for s in strike.sources] == [9, 8, 10]
    assert len([e for e in events if e.key == "2025-12-29"]) == 1


def test_headings_are_not_entries(seed_engine: Engine) -> None:
    texts = {s.text for e in build_timeline(seed_engine).events for s in e.sources}
    assert "1989 Panama Invasion" not in texts and "2026 Venezuela Invasion" not in texts


def test_json_records_have_exactly_the_contract_keys(seed_engine: Engine) -> None:
    records = build_timeline(seed_engine).to_list()
    assert records
    for record in records:
        assert list(record) == ["date", "granularity", "qualifier", "planned", "text", "sources"]
        assert re.fullmatch(KEY_FORMAT[record["granularity"]], record["date"])
        assert record["qualifier"] in (None, "early", "mid", "late")
        assert isinstance(record["planned"], bool)
        for source in record["sources"]:
            assert list(source) == ["doc_id", "title", "url", "line_start", "line_end"]
            assert source["url"].startswith("seeds/") and f"#L{source['line_start']}-L" in source["url"]
    bombs = next(r for r in records if r["text"] == "The bombs fell in the early hours of January 3.")
    document = seed_engine.corpus.document(bombs["sources"][0]["doc_id"])
    lines = document.text.split("\n")[bombs["sources"][0]["line_start"] - 1 : bombs["sources"][0]["line_end"]]
    assert bombs["text"] in "\n".join(lines)


def test_events_are_computed_once_per_corpus(seed_engine: Engine) -> None:
    assert all_events(seed_engine.corpus) is all_events(seed_engine.corpus)


def test_gold_precision_recall_and_entries_per_event(seed_engine: Engine) -> None:
    timeline = build_timeline(seed_engine)
    score = score_timeline(timeline.events, read_gold(GOLD))
    print(
        f"timeline gold: precision {score.precision:.3f} recall {score.recall:.3f} events "
        f"{score.events_found}/{score.events}, {score.entries_per_event:.2f} entries per event; misses {score.misses}"
    )
    assert score.precision >= 0.85 and score.recall >= 0.85
    assert score.event_recall >= 0.95
    assert score.entries_per_event <= 1.2
    newest = max(d.date for d in seed_engine.corpus.documents if d.date)
    assert all(e.planned for e in timeline.events if e.date > newest)


def test_score_counts_misses_extras_and_split_events(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine).events
    doc = "003_a1360f9908bf2d3c"
    haiti = GoldEvent("Haiti", "1915", "year", (GoldEntry(doc, "1915", "year", "Haiti in 1915"),))
    wrong = GoldEvent("wrong year", "1916", "year", (GoldEntry(doc, "1916", "year", "Haiti in 1915"),))
    invasion = GoldEvent(
        "Venezuela",
        "2026-01-03",
        "day",
        (
            GoldEntry(doc, "2026-01-03", "day", "The bombs fell"),
            GoldEntry(doc, "2026-01-03", "day", "between 1989 Panama and 2026 Venezuela"),
        ),
    )
    score = score_timeline(events, [haiti, wrong, invasion])
    assert (score.found, score.gold, score.events_found, score.events) == (2, 4, 2, 3)
    assert score.misses == (wrong.mentions[0], invasion.mentions[1])
    assert score.events_missed == (wrong,)
    assert score.predicted == len([s for e in events for s in e.sources if s.doc_id == doc])
    assert score.entries == len([e for e in events if any(s.doc_id == doc for s in e.sources)])
    assert score.split == 1.5  # the invasion's mentions are in two entries (3 Jan 2026 and 2026), Haiti's in one


def test_gold_reads_events_and_flat_mentions(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(
        '[{"date": "2020", "granularity": "year", "mentions": [{"doc_id": "a", "sentence_contains": "x"}, '
        '{"doc_id": "b", "sentence_contains": "y"}]}, '
        '{"doc_id": "c", "date": "2021", "granularity": "year", "sentence_contains": "z"}]',
        encoding="utf-8",
    )
    events = read_gold(path)
    assert [len(e.mentions) for e in events] == [2, 1] and events[1].mentions[0].doc_id == "c"
    path.write_text('[{"date": "2020", "granularity": "year", "mentions": []}]', encoding="utf-8")
    with pytest.raises(ValueError, match="mentions"):
        read_gold(path)


# --- filters ---------------------------------------------------------------------------------------


def test_topic_keeps_events_about_it(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine, topic="Panama").events
    keys = {e.key for e in events}
    assert {"1989-12-20", "1990-01-03", "1977"} <= keys
    assert "2025-11-27" not in keys and "2025-12-26" not in keys
    assert len(events) < build_timeline(seed_engine).total


@pytest.mark.parametrize("topic", ["", "   ", "the of and"])
def test_a_topic_without_words_keeps_everything(seed_engine: Engine, topic: str) -> None:
    timeline = build_timeline(seed_engine, topic=topic)
    assert len(timeline.events) == timeline.total


def test_topic_on_a_bare_corpus_matches_sentence_words(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine.corpus, topic="Thanksgiving").events
    assert [e.key for e in events] == ["2025-11-27"]


def test_since_and_until_keep_overlapping_periods(seed_engine: Engine) -> None:
    events = build_timeline(seed_engine, since="2025-12", until="2025-12-26").events
    keys = {e.key for e in events}
    assert {"2025", "2025-12", "2025-12-22", "2025-12-26"} <= keys  # the year and month overlap the range
    assert not keys & {"2025-12-29", "2025-11-27", "2026-01-03", "1989"}
    assert [e.key for e in build_timeline(seed_engine, until="1977").events] == ["1915", "1977"]


@pytest.mark.parametrize("bound", ["2025-13", "25", "2025/12", "2025-02-30", "Dec 2025"])
def test_malformed_bounds_are_refused(seed_engine: Engine, bound: str) -> None:
    with pytest.raises(ValueError, match="invalid date"):
        build_timeline(seed_engine, since=bound)


def test_bounds_name_whole_periods() -> None:
    assert parse_bound("2024") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert parse_bound("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert parse_bound(" 2024-02-03 ") == (dt.date(2024, 2, 3), dt.date(2024, 2, 3))
    with pytest.raises(ValueError, match="after"):
        build_timeline(load_corpus(Path(__file__).resolve().parents[3] / "seeds"), since="2026", until="2025")


# --- synthetic corpora -----------------------------------------------------------------------------


def test_the_same_event_in_two_documents_is_merged(tmp_path: Path) -> None:
    engine = _corpus(
        tmp_path,
        {
            "a.txt": "date 2026-01-06\n\nOn January 3, American aircraft bombed military barracks in Caracas "
            "overnight.\n\nLawmakers in Bogota debated a trade bill in 2024.\n",
            "b.txt": "date 2026-01-07\n\nOn January 3, the central bank in Caracas published its annual inflation "
            "report.\n\nAmerican aircraft bombed the military barracks of Caracas on January 3, witnesses said.\n\n"
            "On January 3, American aircraft bombed military barracks in Caracas again.\n",
        },
    )
    events = build_timeline(engine).events
    on_the_third = [e for e in events if e.key == "2026-01-03"]
    bombing = next(e for e in on_the_third if "bombed military barracks in Caracas overnight" in e.text)
    assert [s.doc_id for s in bombing.sources] == ["a", "b", "b"]
    assert "witnesses said" in bombing.sources[1].text and bombing.sources[1].url.startswith("corpus/b.txt#L5-L5")
    assert bombing.sources[2].text.endswith("again.")  # a document's own retelling is folded in too
    # a different event of the same day stays apart
    assert any("inflation report" in e.text for e in on_the_third)
    assert len(on_the_third) == 2
    record = bombing.to_dict()
    assert [s["doc_id"] for s in record["sources"]] == ["a", "b", "b"]


def test_planned_events_are_flagged(tmp_path: Path) -> None:
    engine = _corpus(
        tmp_path,
        {"plans.txt": "date 2026-01-06\n\nThe assembly will vote on the reform in March.\n\nThe strike began in 2025"},
    )
    events = {e.key: e for e in build_timeline(engine).events}
    assert events["2026-03"].planned and events["2026-03"].label == "Mar 2026"
    assert not events["2025"].planned
    assert events["2026-03"].to_dict()["planned"] is True


def test_undated_documents_keep_only_absolute_dates_and_mark_plans(tmp_path: Path) -> None:
    engine = _corpus(
        tmp_path,
        {
            "undated.txt": "The canal treaty was signed in 1977, and talks resumed last week.\n\n"
            "Officials met on Monday.\n\nThe hearing will take place in 2031.\n"
        },
    )
    assert engine.corpus.documents[0].date is None
    events = build_timeline(engine).events
    assert [(e.key, e.planned) for e in events] == [("1977", False), ("2031", True)]
