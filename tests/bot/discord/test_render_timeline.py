"""Timeline pages: Discord's limits hold with many long hostile events, and every event keeps its citations."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import replace

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.discord.ask.render import ABSTAINED_COLOUR
from bot.discord.timeline.render import PER_PAGE, period_label, timeline_pages
from retrieval.timeline.events import Source, TimelineEvent
from retrieval.timeline.mentions import TemporalMention
from tests.bot.discord.test_render import HOSTILE, SPEC, assert_sendable

VERSION = "abcd1234ef56"


@pytest.fixture(scope="module")
def embed_schema() -> Draft202012Validator:
    """Discord's rich-embed schema, as `tests.bot.discord.test_render` checks answers against it."""
    registry = Registry().with_resource("urn:d", Resource(json.loads(SPEC.read_text(encoding="utf-8")), DRAFT202012))
    return Draft202012Validator({"$ref": "urn:d#/components/schemas/RichEmbed"}, registry=registry)


def make_event(number: int, text: str, *, sources: int = 1, planned: bool = False) -> TimelineEvent:
    day = dt.date(2025, 1, 1) + dt.timedelta(days=number)
    return TimelineEvent(
        date=day,
        last_day=day,
        granularity="day",
        qualifier=None,
        planned=planned,
        decade=False,
        key=day.isoformat(),
        label=f"{day.day} {day:%b} {day.year}",
        text=text,
        sources=tuple(
            Source(
                doc_id=f"doc{k}",
                title=f"Report {k} " + "very long headline " * 20,
                url=f"https://example.com/news/{k}#:~:text=" + "word%20" * 60,
                line_start=number + 1,
                line_end=number + 2,
                text=text,
            )
            for k in range(sources)
        ),
        order=(0, number, 0),
    )


def test_many_long_events_fit_and_keep_labels_and_citations(embed_schema: Draft202012Validator) -> None:
    events = [make_event(n, HOSTILE[n % len(HOSTILE)], sources=3) for n in range(40)]
    pages = timeline_pages(events, title="Timeline · " + "topic " * 100, corpus_version=VERSION)
    assert len(pages) == math.ceil(40 / PER_PAGE)
    for number, page in enumerate(pages, 1):
        assert_sendable(page, embed_schema)
        assert page.footer.text == f"page {number}/{len(pages)} · 40 events · corpus abcd1234"
        shown = events[(number - 1) * PER_PAGE : number * PER_PAGE]
        description = page.description or ""
        for event in shown:
            assert f"**{event.label}**" in description
        assert description.count("— [Report 0") == len(shown)
        assert description.count("also in: [Report 1") == len(shown)


def test_an_event_shows_label_quote_its_source_and_also_in() -> None:
    event = make_event(3, "Talks will resume *soon* @everyone.", sources=2, planned=True)
    again = replace(event.sources[0], line_start=40, line_end=40, url="https://example.com/news/0#L40")
    event = replace(event, sources=(*event.sources, again, replace(again, text="Another sentence of line 40.")))
    description = timeline_pages([event], title="Timeline")[0].description or ""
    lines = description.split("\n")
    assert lines[0] == "**4 Jan 2025** · _planned_"
    assert lines[1].startswith("> Talks will resume \\*soon\\* @\u200beveryone")
    assert lines[2].startswith("— [Report 0") and lines[2].endswith("· lines 4–5")
    # the same document needs no title; another one is named and linked; one line is cited once
    assert lines[3].startswith("also in: [L40](https://example.com/news/0#L40) · [Report 1")
    assert "[L4–5](https://example.com/news/1#" in lines[3] and lines[3].count("[L40]") == 1 and len(lines) == 4


def test_spanish_pages_translate_the_bots_words_and_keep_the_quotes(embed_schema: Draft202012Validator) -> None:
    event = make_event(3, "Talks will resume *soon* @everyone.", sources=2, planned=True)
    crowded = make_event(0, "The bridge opened.", sources=300)
    files = replace(crowded, sources=tuple(replace(s, url=f"seeds/{s.doc_id}.txt#L1-L2") for s in crowded.sources))
    pages = timeline_pages([event, files], title="Cronología · Panamá", corpus_version=VERSION, per_page=1, lang="es")
    assert [error.message for page in pages for error in embed_schema.iter_errors(page.to_dict())] == []
    lines = (pages[0].description or "").split("\n")
    assert lines[0] == "**4 ene 2025** · _previsto_"
    assert lines[1].startswith("> Talks will resume \\*soon\\* @\u200beveryone")  # the quote stays verbatim
    assert lines[2].endswith("· líneas 4–5") and lines[3].startswith("también en: [Report 1")
    assert re.search(r" … y \d+ más$", (pages[1].description or "").split("\n")[3])
    assert [p.footer.text for p in pages] == [f"página {n}/2 · 2 hechos · corpus abcd1234" for n in (1, 2)]
    (empty,) = timeline_pages([], title="Cronología", lang="es")
    assert (empty.description or "").startswith("Ningún hecho fechado coincide.") and "/cronologia" in (
        empty.description or ""
    )
    assert empty.footer.text == "página 1/1 · 0 hechos"


@pytest.mark.parametrize("granularity", ["day", "week", "month", "year", "decade"])
@pytest.mark.parametrize("qualifier", [None, "early", "mid", "late"])
def test_period_labels_read_like_the_timelines_in_english(granularity: str, qualifier: str | None) -> None:
    decade = granularity == "decade"
    kind = "year" if decade else granularity
    mention = TemporalMention(0, 4, "x", dt.date(2025, 9, 22), kind, qualifier, False, decade)  # type: ignore[arg-type]
    event = replace(make_event(0, "x"), date=mention.date, granularity=kind, qualifier=qualifier, decade=decade)
    assert period_label(event) == mention.label()


def test_period_labels_in_spanish() -> None:
    event = make_event(0, "x")
    day = replace(event, date=dt.date(1989, 12, 20), granularity="day")
    assert period_label(day, "es") == "20 dic 1989"
    assert period_label(replace(day, granularity="week"), "es") == "semana del 20 dic 1989"
    assert period_label(replace(day, granularity="month", qualifier="early"), "es") == "principios de dic 1989"
    decade = replace(day, date=dt.date(2000, 1, 1), granularity="year", decade=True, qualifier="late")
    assert period_label(decade, "es") == "finales de los años 2000"


def test_per_page_splits_in_order() -> None:
    events = [make_event(n, f"Event number {n} happened.") for n in range(5)]
    pages = timeline_pages(events, title="Timeline", per_page=2, corpus_version=VERSION)
    assert [p.footer.text for p in pages] == [f"page {n}/3 · 5 events · corpus abcd1234" for n in (1, 2, 3)]
    assert "Event number 4" in (pages[2].description or "") and "Event number 1" in (pages[0].description or "")


@pytest.mark.parametrize("title", ["Timeline · Panama", "**bold** @everyone"])
def test_no_events_is_one_friendly_page(title: str, embed_schema: Draft202012Validator) -> None:
    (page,) = timeline_pages([], title=title, corpus_version=VERSION)
    assert_sendable(page, embed_schema)
    assert page.colour == ABSTAINED_COLOUR
    assert (page.description or "").startswith("No dated events match.")
    assert page.footer.text == "page 1/1 · 0 events · corpus abcd1234"
    assert "@everyone" not in (page.title or "")


def test_file_sources_show_their_path_and_many_mentions_are_counted() -> None:
    event = make_event(0, "The bridge opened.", sources=300)
    files = replace(event, sources=tuple(replace(s, url=f"seeds/{s.doc_id}.txt#L1-L2") for s in event.sources))
    description = timeline_pages([files], title="Timeline")[0].description or ""
    citations = description.split("\n")[2:]
    assert citations[0].startswith("— Report 0 very long") and citations[0].endswith(" · `seeds/doc0.txt#L1-L2`")
    assert citations[1].startswith("also in: `seeds/doc1.txt` L1–2 · `seeds/doc2.txt` L1–2")
    assert re.search(r" … and \d+ more$", citations[1]) and len(citations) == 2


def test_room_short_events_leave_goes_to_the_long_ones() -> None:
    short = [make_event(n, f"Event {n}.") for n in range(5)]
    short = [
        replace(e, sources=(replace(e.sources[0], title="A", url=f"https://e.org/{n}"),)) for n, e in enumerate(short)
    ]
    told = make_event(9, "The bridge opened. " * 20)
    places = tuple(
        replace(told.sources[0], title="Daily", url=f"https://e.org/daily#L{k}", line_start=k, line_end=k)
        for k in range(1, 25)
    )
    description = timeline_pages([*short, replace(told, sources=places)], title="Timeline")[0].description or ""
    also = next(line for line in description.split("\n") if line.startswith("also in:"))
    assert also.count("](https://e.org/daily#L") == 23 and "more" not in also
