"""The project's own grammar of English temporal expressions: patterns, and what each one means.

Each rule pairs a regex with a reader that turns its match into a calendar period, given the document
date, the tense of the clause and, for "the next day" or "36 years later", the period mentioned before.
Rules are tried in order and an earlier rule's span wins, so "December 20, 1989" is one day rather than
a day and a year. Patterns only fire on shapes that are dates in English: a bare "May" or "March" needs a
day, a year or a preposition; a number is a year only when it has four digits and is not counting
something ("2000 people"); durations ("35 years", "for months") and centuries match nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from retrieval.timeline.calendar import (
    Granularity,
    Qualifier,
    Unit,
    add_months,
    easter_offset,
    federal,
    fixed,
    nearest_month,
    nearest_month_day,
    nearest_weekday,
    nearest_yearly,
    period_start,
    shift,
)
from retrieval.timeline.numeric import ISO_DAY, ISO_MONTH, NUMERIC_DAY, iso_day, iso_month, numeric_day

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Period:
    """What one expression denotes once resolved; ``temporal.TemporalMention`` adds span and tense."""

    date: dt.date
    granularity: Granularity
    qualifier: Qualifier | None = None
    decade: bool = False
    forward: bool = False  # the words themselves point ahead: "next week", "later this month"
    anaphoric: bool = False  # "the same day", "the next day": borrowed from an earlier mention


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a reader may consult besides its own match."""

    sentence: str
    anchor: dt.date
    future: bool  # the clause reports a plan or forecast
    same_sentence: Period | None  # the last period found earlier in this sentence
    previous: Period | None  # the same, or else the last one of an earlier sentence of the paragraph


Reader = Callable[[re.Match[str], Context], Period | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of the grammar; a ``span`` group, when present, narrows the reported span."""

    name: str
    pattern: re.Pattern[str]
    read: Reader

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        """What the match reports as the date: its ``span`` group when the pattern needs context around it."""
        return match.span("span") if "span" in self.pattern.groupindex else match.span()


# --- vocabulary ---------------------------------------------------------------------------------------

_MONTH_NAMES = "january/jan february/feb march/mar april/apr may june/jun july/jul august/aug september/sept/sep "
_MONTH_NAMES += "october/oct november/nov december/dec"
_MONTH_NUMBERS = {name: n for n, names in enumerate(_MONTH_NAMES.split(), 1) for name in names.split("/")}
_FULL_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
# Month names are matched case-sensitively: "may", "march" and "mark" are not months.
_MONTH = rf"(?P<month>(?:{_FULL_MONTH})\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_FULL_MONTH_ONLY = rf"(?P<month>(?:{_FULL_MONTH})\b)"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = "|".join(_WEEKDAYS)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])\b"
_YEAR = r"(?P<year>1\d{3}|2[01]\d{2})(?!\d)"
_QUAL = r"(?P<qual>(?i:early|mid|middle|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of))"
_QUALIFIERS: dict[str, Qualifier] = {
    "early": "early",
    "beginning": "early",
    "start": "early",
    "mid": "mid",
    "middle": "mid",
    "late": "late",
    "end": "late",
}
_SMALL_NUMBERS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {"a": 1, "an": 1} | {w: n for n, w in enumerate(_SMALL_NUMBERS, 1)}
_NUMBER_WORDS |= {w: 10 * n for n, w in enumerate(_TENS, 2)}
_NUMBER = (
    rf"(?P<n>\d{{1,3}}|(?i:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_SMALL_NUMBERS[:9])}))?"
    rf"|{'|'.join(_SMALL_NUMBERS)}|an?))"
)
_UNIT = r"(?P<unit>(?i:day|week|month|year))s?"
_PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
_PART_OF_DAY = rf"(?:{'|'.join(_PARTS_OF_DAY)})"
# Words before a weekday that make it a named day or a show, not "the last such weekday".
_WEEKDAY_NAMERS = frozenset("good black cyber holy ash super easter palm bloody man maundy".split())
# Before a bare four-digit number: the number is a year after these...
_YEAR_PREPOSITIONS = frozenset("in since until till by during before after from through of".split())
# ...and a quantity or a label after these ("more than 2000", "Resolution 2334", "flight 1549").
_NOT_YEAR_BEFORE = frozenset(
    "than about around nearly almost roughly some over under least most approximately no number page pages "
    "room flight route resolution highway section article code model version channel bus suite unit box top".split()
)
# After a bare four-digit number: it counts these ("2000 people", "1500 more")...
_COUNTED = frozenset(
    "people men women children aircraft personnel police staff feet more fewer other additional extra new "
    "dead wounded".split()
)
# ...but a year is often followed by one of these verbs ending in "s" ("2025 marks", "1989 was").
_VERBS_IN_S = frozenset("was is has does marks remains sees seems looks brings begins ends".split())
_DURATION_LEAD = frozenset("in within over for during until by till".split())


def _last_word(text: str) -> str:
    words = re.findall(r"[\w’']+", text[-40:])
    return words[-1].lower() if words else ""


def _first_word(text: str) -> str:
    match = re.match(r"\s*([\w’']+)", text)
    return match.group(1) if match else ""


def _qualifier(match: re.Match[str]) -> Qualifier | None:
    words = (match.groupdict().get("qual") or "").lower().split()
    return next((_QUALIFIERS[w] for w in words if w in _QUALIFIERS), None)


def _month(match: re.Match[str]) -> int:
    return _MONTH_NUMBERS[match.group("month").rstrip(".").lower()]


def _number(text: str) -> int:
    text = text.lower()
    if text.isdigit():
        return int(text)
    return sum(_NUMBER_WORDS[part] for part in re.split(r"[- ]", text))


# --- readers ------------------------------------------------------------------------------------------


def _read_day(match: re.Match[str], ctx: Context) -> Period | None:
    month, day = _month(match), int(match.group("day"))
    if match.group("year"):
        try:
            return Period(dt.date(int(match.group("year")), month, day), "day")
        except ValueError:
            return None
    resolved = nearest_month_day(ctx.anchor, month, day, ctx.future)
    return Period(resolved, "day") if resolved else None


def _read_numeric_day(match: re.Match[str], ctx: Context) -> Period | None:
    day = iso_day(match) if "mon" in match.re.groupindex else numeric_day(match)
    return Period(day, "day") if day else None


def _read_iso_month(match: re.Match[str], ctx: Context) -> Period | None:
    month = iso_month(match)
    return Period(month, "month") if month else None


def _read_month_year(match: re.Match[str], ctx: Context) -> Period | None:
    return Period(dt.date(int(match.group("year")), _month(match), 1), "month", _qualifier(match))


def _read_month(match: re.Match[str], ctx: Context) -> Period | None:
    modifier = (match.groupdict().get("mod") or "").lower()
    future = {"last": False, "past": False, "next": True}.get(modifier, ctx.future)
    start = nearest_month(ctx.anchor, _month(match), future, strict=modifier in {"last", "past", "next"})
    return Period(start, "month", _qualifier(match))


def _read_decade(match: re.Match[str], ctx: Context) -> Period | None:
    return Period(dt.date(int(match.group("decade")), 1, 1), "year", _qualifier(match), decade=True)


def _read_year(match: re.Match[str], ctx: Context) -> Period | None:
    before, after = ctx.sentence[: match.start()], ctx.sentence[match.end() :]
    if before.endswith(("-", "–")) and not before[-2:-1].isdigit():
        return None  # "COVID-2019", "A-1000": part of a name; "1989–1990" keeps its second year
    previous_word, next_word = _last_word(before), _first_word(after)
    if previous_word in _NOT_YEAR_BEFORE:
        return None
    counted = next_word in _COUNTED or (
        next_word.islower() and next_word.endswith("s") and not next_word.endswith("ss")
    )
    if previous_word not in _YEAR_PREPOSITIONS and counted and next_word not in _VERBS_IN_S:
        return None
    return Period(dt.date(int(match.group("year")), 1, 1), "year", _qualifier(match))


def _read_weekday(match: re.Match[str], ctx: Context) -> Period | None:
    previous_word = _last_word(ctx.sentence[: match.start()])
    next_word = _first_word(ctx.sentence[match.end() :])
    if previous_word in _WEEKDAY_NAMERS:
        return None
    if next_word[:1].isupper() and (previous_word == "the" or next_word.lower() in _PARTS_OF_DAY):
        return None  # a title: "the Sunday Times", "Saturday Night Live"
    modifier = (match.group("mod") or "").lower()
    future = {"last": False, "past": False, "next": True}.get(modifier, ctx.future)
    weekday = _WEEKDAYS.index(match.group("weekday"))
    day = nearest_weekday(ctx.anchor, weekday, future, strict=modifier in {"last", "past", "next"})
    return Period(day, "day", forward=modifier == "next")


_HOLIDAYS: tuple[tuple[str, Callable[[int], dt.date | None]], ...] = (
    (r"Thanksgiving(?:\s+Day)?", federal("Thanksgiving Day")),
    (r"Christmas\s+Eve", fixed(12, 24)),
    (r"Christmas(?:\s+Day)?", fixed(12, 25)),
    (r"New\s+Year['’]s\s+Eve", fixed(12, 31)),
    (r"New\s+Year['’]s(?:\s+Day)?", fixed(1, 1)),
    (r"(?:the\s+)?Fourth\s+of\s+July", fixed(7, 4)),
    (r"Memorial\s+Day", federal("Memorial Day")),
    (r"Labor\s+Day", federal("Labor Day")),
    (r"Veterans['’]?\s+Day", federal("Veterans Day")),
    (r"Columbus\s+Day", federal("Columbus Day")),
    (r"Juneteenth", federal("Juneteenth National Independence Day")),
    (r"(?:Martin\s+Luther\s+King(?:\s+Jr\.?)?|MLK)\s+Day", federal("Martin Luther King Jr. Day")),
    (r"Presidents['’]?\s+Day|Washington['’]s\s+Birthday", federal("Washington's Birthday")),
    (r"Halloween", fixed(10, 31)),
    (r"Valentine['’]s\s+Day", fixed(2, 14)),
    (r"Easter(?:\s+Sunday)?", easter_offset(0)),
    (r"Good\s+Friday", easter_offset(-2)),
)


def _read_holiday(match: re.Match[str], ctx: Context) -> Period | None:
    index = next(i for i in range(len(_HOLIDAYS)) if match.group(f"h{i}"))
    day = nearest_yearly(ctx.anchor, _HOLIDAYS[index][1], ctx.future)
    return Period(day, "day") if day else None


def _unit(match: re.Match[str]) -> Unit:
    return cast(Unit, match.group("unit").lower())


def _read_this_period(match: re.Match[str], ctx: Context) -> Period | None:
    """Read "earlier this month" as the month of the day *before* the document: on the 1st it is last month."""
    later = match.group("when").lower() == "later"
    base = ctx.anchor if later else ctx.anchor - dt.timedelta(days=1)
    unit = _unit(match)
    return Period(period_start(base, unit), unit, forward=later)


def _read_last_next(match: re.Match[str], ctx: Context) -> Period | None:
    if _last_word(ctx.sentence[: match.start()]) == "the":
        return None  # "over the last year", "in the next month": a duration, not a period
    step = 1 if match.group("mod").lower() == "next" else -1
    unit = _unit(match)
    return Period(shift(period_start(ctx.anchor, unit), unit, step), unit, forward=step > 0)


_DAY_WORD_OFFSETS = {"yesterday": -1, "last night": -1, "tomorrow": 1, "tonight": 0}


def _read_day_word(match: re.Match[str], ctx: Context) -> Period | None:
    offset = _DAY_WORD_OFFSETS.get(" ".join(match.group().lower().split()), 0)
    return Period(ctx.anchor + dt.timedelta(days=offset), "day", forward=offset > 0)


def _read_ago(match: re.Match[str], ctx: Context) -> Period | None:
    unit = _unit(match)
    return Period(shift(period_start(ctx.anchor, unit), unit, -_number(match.group("n"))), unit)


_RANK: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}


def _read_later(match: re.Match[str], ctx: Context) -> Period | None:
    """Count "36 years later" from a date in the same sentence; alone it is a duration and means nothing.

    Days and weeks keep a day's precision, months and years only their own: "two months later" after
    "January 3" is March, not March 3, unless the sentence says it is "the same day" ("detained on
    January 3, 1990, the same day on which … would take place 36 years later": January 3, 2026).
    """
    reference = ctx.same_sentence
    unit = _unit(match)
    if reference is None or reference.decade or _RANK[reference.granularity] > _RANK[unit]:
        return None
    amount = _number(match.group("n")) * (1 if match.group("dir").lower() == "later" else -1)
    if unit in ("day", "week"):
        return Period(shift(reference.date, unit, amount), reference.granularity)
    if reference.granularity == "day" and _SAME_DAY.search(ctx.sentence, 0, match.start()):
        moved = add_months(reference.date, amount * (12 if unit == "year" else 1))
        try:
            return Period(moved.replace(day=reference.date.day), "day")
        except ValueError:  # "the same day" a month later, on a day that month lacks
            return None
    if unit == "month":
        return Period(add_months(reference.date, amount), "month")
    return Period(dt.date(reference.date.year + amount, 1, 1), "year")


_SAME_DAY = re.compile(r"(?i)\b(?:the|that)\s+same\s+(?:day|date)\b")
_ANAPHORA_OFFSETS = {"next": 1, "following": 1, "previous": -1, "preceding": -1}


def _read_anaphora(match: re.Match[str], ctx: Context) -> Period | None:
    """A day relative to the last dated day mentioned: "the next day", "the same day", "that night"."""
    reference = ctx.previous
    if reference is None or reference.granularity != "day":
        return None  # "that night" after "in late 2023" names no day
    if _last_word(ctx.sentence[: match.start()]) in _DURATION_LEAD:
        return None  # "within the next day": a duration
    words = match.group().lower().split()
    offset = next((_ANAPHORA_OFFSETS[w] for w in words if w in _ANAPHORA_OFFSETS), 0)
    return Period(reference.date + dt.timedelta(days=offset), "day", anaphoric=True)


# --- the rules, most specific first -------------------------------------------------------------------

_WEEKDAY_PREFIX = rf"(?:(?:{_WEEKDAY}),?\s+)?"
_HOLIDAY = "|".join(f"(?P<h{i}>{pattern})" for i, (pattern, _) in enumerate(_HOLIDAYS))
_PREPOSITION = r"(?i:in|since|until|till|by|during|from|through|throughout|before|after)"
_MOD = r"(?P<mod>(?i:last|next|this|past))"


def _rule(name: str, pattern: str, read: Reader) -> Rule:
    return Rule(name, re.compile(pattern), read)


RULES: tuple[Rule, ...] = (
    _rule("iso day", ISO_DAY, _read_numeric_day),
    _rule("numeric day", NUMERIC_DAY, _read_numeric_day),
    _rule("iso month", ISO_MONTH, _read_iso_month),
    _rule("month day", rf"\b{_WEEKDAY_PREFIX}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?", _read_day),
    _rule("day month", rf"\b{_WEEKDAY_PREFIX}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?", _read_day),
    _rule("month year", rf"\b(?:{_QUAL}[\s-]+)?{_MONTH}\s+(?:of\s+)?{_YEAR}", _read_month_year),
    _rule(
        "holiday",
        rf"\b(?i:on|at|over|before|after|since|until|by|around|during|for)\s+(?:the\s+)?"
        rf"(?P<span>{_HOLIDAY})\b(?!\s+(?i:weekend|week|season|holidays?|break|period|eve)\b)",
        _read_holiday,
    ),
    _rule("part of month", rf"\b{_QUAL}[\s-]+{_FULL_MONTH_ONLY}", _read_month),
    _rule(
        "decade",
        rf"\b(?P<span>(?:{_QUAL}[\s-]+(?:the\s+)?)?(?P<decade>(?:1\d|20|21)\d0)['’]?s)\b",
        _read_decade,
    ),
    _rule("part of year", rf"\b{_QUAL}[\s-]+{_YEAR}(?!['’]?s\b)", _read_year),
    _rule(
        "earlier this",
        r"\b(?P<when>(?i:earlier|later))\s+this\s+(?P<unit>(?i:week|month|year))\b",
        _read_this_period,
    ),
    _rule("last next", r"\b(?P<mod>(?i:last|next))\s+(?P<unit>(?i:week|month|year))\b", _read_last_next),
    _rule(
        "day word",
        r"\b(?i:yesterday|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
        _read_day_word,
    ),
    _rule("ago", rf"\b{_NUMBER}\s+{_UNIT}\s+ago\b", _read_ago),
    _rule("later", rf"\b{_NUMBER}\s+{_UNIT}\s+(?P<dir>(?i:later|earlier))\b", _read_later),
    _rule(
        "anaphora",
        rf"\b(?i:the\s+(?:next|following|previous|preceding)\s+(?:day|{_PART_OF_DAY})"
        rf"|(?:the|that)\s+same\s+(?:day|{_PART_OF_DAY})|(?:later\s+)?that\s+(?:day|{_PART_OF_DAY}))\b",
        _read_anaphora,
    ),
    _rule(
        "month after preposition",
        rf"\b{_PREPOSITION}\s+(?:the\s+month\s+of\s+)?(?P<span>{_FULL_MONTH_ONLY})",
        _read_month,
    ),
    _rule("month with modifier", rf"\b{_MOD}\s+{_FULL_MONTH_ONLY}", _read_month),
    _rule(
        "weekday",
        rf"\b(?:{_MOD}\s+)?(?P<weekday>{_WEEKDAY})(?:['’]s)?(?:\s+{_PART_OF_DAY})?\b",
        _read_weekday,
    ),
    _rule("year", rf"(?<![\w$€£#/.,:]){_YEAR}(?![\w%]|[.,:]\d|[-–][a-z]|[-/]\d{{1,2}}(?!\d))", _read_year),
)


def candidates(sentence: str) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Non-overlapping rule matches in text order; where spans overlap the earlier rule wins."""
    taken: list[tuple[int, int, Rule, re.Match[str]]] = []
    for rule in RULES:
        for match in rule.pattern.finditer(sentence):
            start, end = rule.span(match)
            if all(end <= s or start >= e for s, e, _, _ in taken):
                taken.append((start, end, rule, match))
    logger.debug("%d candidate spans in %r", len(taken), sentence[:60])
    return sorted(taken, key=lambda item: item[0])
