"""Events on small synthetic documents: merging, labels, metadata, changelogs, numeric dates and order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from retrieval.corpus.loader import Corpus
from retrieval.engine import Engine
from retrieval.models import Document, Passage, Sentence
from retrieval.timeline.events import TimelineEvent, build_timeline
from retrieval.timeline.mentions import find_mentions
from retrieval.timeline.structure import in_title

ANCHOR = dt.date(2026, 1, 6)


def _events(tmp_path: Path, files: dict[str, str]) -> tuple[TimelineEvent, ...]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build_timeline(Engine.load(folder, label="corpus")).events


def _texts(events: tuple[TimelineEvent, ...]) -> set[str]:
    return {source.text for event in events for source in event.sources}


CHANGELOG = """# Changelog

## [Unreleased]

- Faster search on large folders.

## [1.2.0] - 2025-03-01

### Added

- The `--json` flag for every command.
- Support for Markdown documents.

### Fixed

- A crash when the corpus folder is empty.

## 1.1.0 – 2024-12-15

- First public release, announced on the mailing list on 2024-12-16.
- Answers quote their sources verbatim.
"""


def test_release_headings_date_the_entries_beneath(tmp_path: Path) -> None:
    events = _events(tmp_path, {"changelog.md": CHANGELOG})
    dated = [(e.key, e.granularity, e.text) for e in events]
    assert dated == [
        ("2024-12-15", "day", "Answers quote their sources verbatim."),
        ("2024-12-16", "day", "First public release, announced on the mailing list on 2024-12-16."),
        ("2025-03-01", "day", "The `--json` flag for every command."),
        ("2025-03-01", "day", "Support for Markdown documents."),
        ("2025-03-01", "day", "A crash when the corpus folder is empty."),
    ]
    assert not any(e.planned for e in events)


README = """---
title: corpusbot
date: 2020-10-28
---

# corpusbot

Version 2 was released on 2020-10-28 and the index format changed on 03.11.2020.
Nightly builds ran from 2021-02 until the project moved.

Cite it as
```
@misc{corpusbot, year = {2016}}
```

```bibtex
@software{corpusbot2020,
  title = {corpusbot},
  year = {2020},
}
```

@article{smith2019,
  author = "Smith, Jane",
  year = "2019",
}

© 2018 The corpusbot authors

## References

Smith, J. (2017). Quoting documents verbatim. Journal of Bots, 3(2), 1-10.
"""


def test_metadata_code_citations_and_references_are_not_events(tmp_path: Path) -> None:
    events = _events(tmp_path, {"README.md": README})
    assert [(e.key, e.granularity) for e in events] == [
        ("2020-10-28", "day"),
        ("2020-11-03", "day"),
        ("2021-02", "month"),
    ]
    assert not any(year in text for text in _texts(events) for year in ("2016", "2017", "2018", "2019", "year ="))


def test_labels_and_titles_of_works_are_not_entries(tmp_path: Path) -> None:
    text = (
        "date 2026-01-06\n\n1999 Rhine Floods\n\nThe river rose four metres in May 1999 and flooded the old town.\n\n"
        "She is the author of the book Rhine 1999 Revisited, about the floods.\n\n"
        "He wrote the first book about the floods in 2003.\n"
    )
    events = _events(tmp_path, {"floods.txt": text})
    assert [e.key for e in events] == ["1999-05", "2003"]
    assert "1999 Rhine Floods" not in _texts(events)
    sentence = "She is the author of the book Rhine 1999 Revisited, about the floods."
    assert in_title(sentence, sentence.index("1999"), sentence.index("1999") + 4)


def test_a_year_mention_joins_the_event_dated_more_precisely(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        {
            "a.txt": "date 2022-01-10\n\nOn 12 March 2021, the old dam on the Rhine collapsed near Basel.\n\n"
            "In 2021, the city elected a new mayor after a long campaign.\n",
            "b.txt": "date 2022-02-01\n\nThe 2021 collapse of the Rhine dam forced thousands to leave.\n",
            # term weights need a corpus: undated background on other subjects
            "c.txt": "The museum opens at nine. Tickets are sold at the door. The library lends books for three "
            "weeks. Trains leave the station every hour. The market sells fish and bread. Parking is free "
            "on Sundays.\n",
        },
    )
    collapse = next(e for e in events if e.key == "2021-03-12")
    assert [s.doc_id for s in collapse.sources] == ["a", "b"]
    assert collapse.text.startswith("On 12 March 2021") and collapse.label == "12 Mar 2021"
    assert [e.text for e in events if e.key == "2021"] == [
        "In 2021, the city elected a new mayor after a long campaign."
    ]


def test_a_sentence_dating_two_events_appears_under_each(tmp_path: Path) -> None:
    events = _events(
        tmp_path, {"bridge.txt": "date 2020-01-01\n\nThe bridge opened in 1932 and was destroyed on 4 May 1945.\n"}
    )
    assert [(e.key, e.text) for e in events] == [
        ("1932", "The bridge opened in 1932 and was destroyed on 4 May 1945."),
        ("1945-05-04", "The bridge opened in 1932 and was destroyed on 4 May 1945."),
    ]


def test_entries_are_in_date_order_across_documents(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        {
            "a.md": "The service went live on 2023-06-02.\n\nThe first outage was on 2019-04-30.\n",
            "b.md": "The prototype was shown on 14.02.2021.\n\nThe design began in 2018.\n",
        },
    )
    assert [e.key for e in events] == ["2018", "2019-04-30", "2021-02-14", "2023-06-02"]
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_nothing_after_the_newest_document_unless_planned(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        {
            "news.txt": "date 2026-01-06\n\nThe council will vote on the budget in March.\n\n"
            "The budget passed in 2025.\n",
            "notes.txt": "The treaty expires in 2040.\n",
        },
    )
    newest = dt.date(2026, 1, 6)
    late = [e for e in events if e.date > newest]
    assert {e.key for e in late} == {"2026-03", "2040"} and all(e.planned for e in late)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Released on 2020-10-28.", [("2020-10-28", "day")]),
        ("The job ran at 2020-10-28T12:00:00Z.", [("2020-10-28", "day")]),
        ("Logged 2020/10/28 and 10/28/2020.", [("2020-10-28", "day"), ("2020-10-28", "day")]),
        ("Signed on 28.10.2020 and 03-04-2021.", [("2020-10-28", "day"), ("2021-04-03", "day")]),
        ("The 2020-10 report.", [("2020-10", "month")]),
        ("The 2010-11 season and version 1.2.0.", []),
        ("The 1989-1990 war.", [("1989", "year"), ("1990", "year")]),
        ("Nothing valid: 2020-13-45.", []),
    ],
)
def test_numeric_dates_read_at_their_granularity(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.key(), m.granularity) for m in find_mentions(sentence, ANCHOR)] == expected


def test_the_next_day_counts_from_the_paragraph_right_before(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        {
            "story.txt": "date 2021-06-01\n\nOn 3 May 2021 the old dam broke.\n\nThe army arrived the next day.\n\n"
            "The town was quiet for weeks.\n\nVolunteers left the next day.\n"
        },
    )
    assert [(e.key, e.text) for e in events] == [
        ("2021-05-03", "On 3 May 2021 the old dam broke."),
        ("2021-05-04", "The army arrived the next day."),
    ]


def test_a_sentence_running_into_a_metadata_line_keeps_only_its_prose_dates(tmp_path: Path) -> None:
    text = "The tool was released in 2019 with\nyear = {2016},\n"
    document = Document("cite", "cite.md", text, "cite", None, False, 0, "0" * 64)
    sentence = Sentence("cite", 0, 0, 0, len(text) - 1, 1, 2, text)
    passage = Passage("cite", 0, 0, 0, 0, 0, len(text) - 1, 1, 2, text)
    corpus = Corpus(tmp_path, "corpus", (document,), (sentence,), (passage,))
    assert [e.key for e in build_timeline(corpus).events] == ["2019"]
