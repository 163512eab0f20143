"""Temporal expressions: one test per expression class, false-positive guards, and the seed gold timeline."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from retrieval.corpus.sentences import split_sentences
from retrieval.timeline.calendar import Granularity, Qualifier
from retrieval.timeline.mentions import TemporalMention, find_mentions, mentions_by_paragraph, mentions_by_sentence

ROOT = Path(__file__).resolve().parents[3]
SAT_1_NOV = dt.date(2025, 11, 1)  # seed 000
MON_29_DEC = dt.date(2025, 12, 29)  # seed 002 (inferred from its last line)
WED_31_DEC = dt.date(2025, 12, 31)
TUE_6_JAN = dt.date(2026, 1, 6)  # seed 003
WED_1_APR = dt.date(2026, 4, 1)
# Document dates of the seeds; 002 has no date line, its date comes from "December 29, 2025" in its last line.
SEED_ANCHORS = {
    "000_80d63f22826af2d4": SAT_1_NOV,
    "002_f4aac6a760c41ec4": MON_29_DEC,
    "003_a1360f9908bf2d3c": TUE_6_JAN,
}


def _described(sentence: str, anchor: dt.date) -> list[str]:
    """Each mention as "text => key granularity [qualifier] [planned]", so cases read like a table."""
    return [
        " ".join(filter(None, (f"{m.text} =>", m.key(), m.granularity, m.qualifier, "planned" if m.planned else "")))
        for m in find_mentions(sentence, anchor)
    ]


CASES: list[tuple[str, dt.date, list[str]]] = [
    # full dates
    ("He was detained on January 3, 1990.", TUE_6_JAN, ["January 3, 1990 => 1990-01-03 day"]),
    ("The vote took place on Friday, January 3, 2025.", TUE_6_JAN, ["Friday, January 3, 2025 => 2025-01-03 day"]),
    ("He spoke on the 3rd of January 1990.", TUE_6_JAN, ["the 3rd of January 1990 => 1990-01-03 day"]),
    ("The trial will examine the December 20, 1989 invasion.", TUE_6_JAN, ["December 20, 1989 => 1989-12-20 day"]),
    # month + day: a report takes the last such day, a plan the next one
    ("Trump spoke in a Dec. 26 radio interview.", MON_29_DEC, ["Dec. 26 => 2025-12-26 day"]),
    ("Talks began on December 30.", TUE_6_JAN, ["December 30 => 2025-12-30 day"]),
    ("A meeting is planned for March 26.", TUE_6_JAN, ["March 26 => 2026-03-26 day planned"]),
    ("A meeting is planned for March 26.", WED_1_APR, ["March 26 => 2027-03-26 day planned"]),
    ("The meeting, which was scheduled for March 26, was cancelled.", WED_1_APR, ["March 26 => 2026-03-26 day"]),
    ("The company expects to finish by 30 September.", MON_29_DEC, ["30 September => 2026-09-30 day planned"]),
    ("The company finished on 30 September.", MON_29_DEC, ["30 September => 2025-09-30 day"]),
    ("The vote is scheduled for December 29.", MON_29_DEC, ["December 29 => 2025-12-29 day planned"]),
    ("The president is to visit on March 3.", TUE_6_JAN, ["March 3 => 2026-03-03 day planned"]),
    # month only, month + year
    ("Trump confirmed in October that he had authorized it.", MON_29_DEC, ["October => 2025-10 month"]),
    ("Elections will be held in January.", MON_29_DEC, ["January => 2026-01 month planned"]),
    ("Prices fell last December.", MON_29_DEC, ["last December => 2024-12 month"]),
    ("The wall fell in November 1989.", TUE_6_JAN, ["November 1989 => 1989-11 month"]),
    # year only
    ("The DOJ indicted Maduro in 2020.", TUE_6_JAN, ["2020 => 2020 year"]),
    ("He wrote about the 1989 invasion.", TUE_6_JAN, ["1989 => 1989 year"]),
    ("Venezuela will hold elections in 2026.", TUE_6_JAN, ["2026 => 2026 year planned"]),
    (
        "The 2025 budget was cut in 1989–1990.",
        TUE_6_JAN,
        ["2025 => 2025 year", "1989 => 1989 year", "1990 => 1990 year"],
    ),
    # parts of months and years, decades
    ("It is the 30th strike since early September.", MON_29_DEC, ["early September => 2025-09 month early"]),
    ("Talks will resume in mid-March.", MON_29_DEC, ["mid-March => 2026-03 month mid planned"]),
    ("The bridge will open by the end of March.", MON_29_DEC, ["the end of March => 2026-03 month late planned"]),
    ("When I visited El Chorrillo in late 2023, wounds remained.", TUE_6_JAN, ["late 2023 => 2023 year late"]),
    ("Growth slowed in mid-2024.", TUE_6_JAN, ["mid-2024 => 2024 year mid"]),
    ("It was founded in the early 2000s.", TUE_6_JAN, ["early 2000s => 2000 year early"]),
    # weekdays: the last one on or before the document date, the next one on or after it for a plan
    ("The WSJ reported on Thursday night that...", SAT_1_NOV, ["Thursday night => 2025-10-30 day"]),
    ("The command reported its latest strike on Monday.", MON_29_DEC, ["Monday => 2025-12-29 day"]),
    ("The strike happened last Monday.", MON_29_DEC, ["last Monday => 2025-12-22 day"]),
    ("The talks will resume on Wednesday.", MON_29_DEC, ["Wednesday => 2025-12-31 day planned"]),
    ("They meet next Friday.", MON_29_DEC, ["next Friday => 2026-01-02 day planned"]),
    (
        "“Oil firms are going to go in,” Trump said during a Saturday press conference.",
        TUE_6_JAN,
        ["Saturday => 2026-01-03 day"],
    ),
    (
        "The minister said on Monday that the bridge will open in March.",
        WED_31_DEC,
        ["Monday => 2025-12-29 day", "March => 2026-03 month planned"],
    ),
    # holidays (US)
    ("He told military personnel on Thanksgiving.", MON_29_DEC, ["Thanksgiving => 2025-11-27 day"]),
    ("He spoke on Thanksgiving.", SAT_1_NOV, ["Thanksgiving => 2024-11-28 day"]),
    ("Troops massed on Christmas Eve.", TUE_6_JAN, ["Christmas Eve => 2025-12-24 day"]),
    ("He will speak on New Year’s Day.", MON_29_DEC, ["New Year’s Day => 2026-01-01 day planned"]),
    # relative to the document date
    ("The Coast Guard seized a tanker last week.", MON_29_DEC, ["last week => 2025-12-22 week"]),
    ("The Coast Guard seized a tanker last week.", WED_31_DEC, ["last week => 2025-12-22 week"]),
    ("The CIA carried out a strike earlier this month.", MON_29_DEC, ["earlier this month => 2025-12 month"]),
    ("Leaders earlier this month condemned the attacks.", SAT_1_NOV, ["earlier this month => 2025-10 month"]),
    ("Earlier this year, the administration tried again.", SAT_1_NOV, ["Earlier this year => 2025 year"]),
    ("A vote is expected later this month.", MON_29_DEC, ["later this month => 2025-12 month planned"]),
    ("Talks resume next week.", MON_29_DEC, ["next week => 2026-01-05 week planned"]),
    ("The ship docked yesterday.", MON_29_DEC, ["yesterday => 2025-12-28 day"]),
    ("The law passed two years ago.", TUE_6_JAN, ["two years ago => 2024 year"]),
    # relative to an earlier date of the same sentence
    (
        "He arrived on January 3 and left the next day.",
        TUE_6_JAN,
        ["January 3 => 2026-01-03 day", "the next day => 2026-01-04 day"],
    ),
    (
        "He was detained on January 3, 1990, the same day on which the invasion took place 36 years later.",
        TUE_6_JAN,
        ["January 3, 1990 => 1990-01-03 day", "36 years later => 2026-01-03 day"],
    ),
    (
        "She left on May 5, 2000 and returned two years later.",
        TUE_6_JAN,
        ["May 5, 2000 => 2000-05-05 day", "two years later => 2002 year"],
    ),
    (
        "Troops landed on December 20, 1989; two weeks later Noriega gave up.",
        TUE_6_JAN,
        ["December 20, 1989 => 1989-12-20 day", "two weeks later => 1990-01-03 day"],
    ),
]


@pytest.mark.parametrize(("sentence", "anchor", "expected"), CASES)
def test_expression(sentence: str, anchor: dt.date, expected: list[str]) -> None:
    assert _described(sentence, anchor) == expected


def test_spans_index_the_sentence() -> None:
    sentence = "Talks began on December 30 and ended in 2026."
    for mention in find_mentions(sentence, TUE_6_JAN):
        assert sentence[mention.start : mention.end] == mention.text


NOT_EVENTS = [
    "It is the first time in more than 35 years.",
    "Over the last four decades, the drug war grew.",
    "It would take the U.S. two weeks to capture Noriega.",
    "Omar Gonzalez was only 12 at the time.",
    "This was the invasion that Trump had vowed for months.",
    "The invasion of Venezuela would take place 36 years later.",
    "Maduro is now in New York.",
    "Prices rose this year.",
    "In the last year, strikes grew.",
    "Forces flew in with 150 aircraft.",
    "There have been 35 known strikes, killing 115 people.",
    "U.S. forces killed more than 500 people.",
    "Some 1500 troops arrived, and 2000 people fled.",
    "UN Resolution 2139 was adopted, and more than 2000 were displaced.",
    "US military interventions of the 20th century brought dictatorships.",
    "Unprecedented, even by sort of late-19th and early 20th century standards.",
    "We cannot allow history to repeat itself.",
    "Trump may or may not be willing to go.",
    "Protesters march on the capital, and the strikes would mark an escalation.",
    "Mark Carney said nothing.",
    "Both were carried out overnight during the holiday season.",
    "Shops were busy over the Thanksgiving weekend.",
    "The Good Friday Agreement still holds.",
    "He works on Mondays.",
    "Trump announced the next day that he would work with Rodríguez.",
    "We should have taken back the oil a long time ago.",
    "In recent months, boat strikes transformed policy.",
    "Intelligence confirmed the vessel was transiting along known… pic.twitter.com/69ywxXk30N",
]


@pytest.mark.parametrize("sentence", NOT_EVENTS)
def test_not_an_event(sentence: str) -> None:
    assert find_mentions(sentence, TUE_6_JAN) == []


def test_no_anaphora_against_a_duration() -> None:
    sentence = "He arrived on January 3 and expects a reply within the next day."
    assert _described(sentence, TUE_6_JAN) == ["January 3 => 2026-01-03 day"]


def test_next_day_follows_the_previous_dated_sentence() -> None:
    sentences = ["Troops landed on January 3.", "Nothing was said.", "Trump announced the next day that..."]
    result = mentions_by_sentence(sentences, TUE_6_JAN)
    assert [[m.key() for m in found] for found in result] == [["2026-01-03"], [], ["2026-01-04"]]


def test_next_day_needs_a_day_to_follow() -> None:
    sentences = ["I visited El Chorrillo in late 2023.", "People remember that night."]
    result = mentions_by_sentence(sentences, TUE_6_JAN)
    assert [[m.key() for m in found] for found in result] == [["2023"], []]


@pytest.mark.parametrize(
    ("date", "granularity", "qualifier", "decade", "label", "key"),
    [
        (dt.date(1989, 12, 20), "day", None, False, "20 Dec 1989", "1989-12-20"),
        (dt.date(2025, 12, 22), "week", None, False, "week of 22 Dec 2025", "2025-12-22"),
        (dt.date(2025, 10, 1), "month", None, False, "Oct 2025", "2025-10"),
        (dt.date(2025, 9, 1), "month", "early", False, "early Sep 2025", "2025-09"),
        (dt.date(2020, 1, 1), "year", None, False, "2020", "2020"),
        (dt.date(2023, 1, 1), "year", "late", False, "late 2023", "2023"),
        (dt.date(2000, 1, 1), "year", "early", True, "early 2000s", "2000"),
    ],
)
def test_label_and_key(
    date: dt.date, granularity: Granularity, qualifier: Qualifier | None, decade: bool, label: str, key: str
) -> None:
    mention = TemporalMention(0, 1, "x", date, granularity, qualifier, False, decade)
    assert (mention.label(), mention.key()) == (label, key)


def test_last_day_of_a_decade() -> None:
    decade = find_mentions("It was founded in the 1980s.", TUE_6_JAN)[0]
    assert (decade.label(), decade.last_day) == ("1980s", dt.date(1989, 12, 31))


# --- the seeds against the hand-made gold of date expressions ------------------------------------------
# (tests/data/gold_mentions.json: every expression as written, headings included; the timeline's own gold,
# one entry per event, is tests/data/gold_timeline.json)

# doc, sentence index, key, granularity, qualifier, planned, decade
Event = tuple[str, int, str, str, str | None, bool, bool]


def _seed_sentences(doc_id: str) -> list[list[str]]:
    """Sentences per paragraph (each non-empty line is a paragraph), without the ``date`` line."""
    text = (ROOT / "seeds" / f"{doc_id}.txt").read_text(encoding="utf-8")
    text = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", text)
    return [[line[a:b] for a, b in split_sentences(line)] for line in text.split("\n") if line.strip()]


def test_seeds_match_the_gold_timeline() -> None:
    gold_entries = json.loads((ROOT / "tests" / "data" / "gold_mentions.json").read_text(encoding="utf-8"))
    predicted: set[Event] = set()
    gold: set[Event] = set()
    for doc_id, anchor in SEED_ANCHORS.items():
        paragraphs = _seed_sentences(doc_id)
        sentences = [s for paragraph in paragraphs for s in paragraph]
        found = [m for paragraph in mentions_by_paragraph(paragraphs, anchor) for m in paragraph]
        for index, mentions in enumerate(found):
            predicted |= {(doc_id, index, m.key(), m.granularity, m.qualifier, m.planned, m.decade) for m in mentions}
        for entry in (e for e in gold_entries if e["doc_id"] == doc_id):
            holders = [i for i, s in enumerate(sentences) if entry["sentence_contains"] in s]
            assert len(holders) == 1, f"gold sentence_contains must pick one sentence: {entry}"
            fields = (entry["date"], entry["granularity"], entry["qualifier"], entry["planned"])
            gold.add((doc_id, holders[0], *fields, entry.get("decade", False)))
    assert len(gold) == len(gold_entries), "each (date, sentence) once per document"
    hits = predicted & gold
    precision, recall = len(hits) / len(predicted), len(hits) / len(gold)
    counts = f"{len(hits)} right of {len(predicted)} found, {len(gold)} in gold"
    print(f"temporal gold: precision {precision:.3f} recall {recall:.3f} ({counts})")
    print("missed:", sorted(gold - predicted), "extra:", sorted(predicted - gold))
    assert precision >= 0.9
    assert recall >= 0.9
