"""Calendar arithmetic behind temporal expressions: which concrete day a year-less phrase means.

News rarely writes the year: "on Thursday", "Dec. 26", "in October", "on Thanksgiving". These helpers
pick the occurrence nearest the document date in the direction the sentence's tense points to, so the
grammar in ``temporal_grammar`` only has to say *what* was written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import cache
from typing import Literal

import holidays
from dateutil.easter import easter

logger = logging.getLogger(__name__)

Granularity = Literal["year", "month", "week", "day"]
Qualifier = Literal["early", "mid", "late"]
Unit = Literal["day", "week", "month", "year"]

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ONE_DAY = dt.timedelta(days=1)
# How far to look for a valid "February 29" before giving up (two leap cycles).
_LEAP_SEARCH_YEARS = 9


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding ``day``: weeks are named after their Monday."""
    return day - dt.timedelta(days=day.weekday())


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` away from ``day``'s month."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, 1)


def shift(day: dt.date, unit: Unit, amount: int) -> dt.date:
    """``day`` moved by ``amount`` units; months and years land on the first day of their period."""
    if unit == "day":
        return day + dt.timedelta(days=amount)
    if unit == "week":
        return day + dt.timedelta(weeks=amount)
    if unit == "month":
        return add_months(day, amount)
    return dt.date(day.year + amount, 1, 1)


def period_start(day: dt.date, unit: Unit) -> dt.date:
    """The first day of the day/week/month/year holding ``day``."""
    if unit == "week":
        return week_start(day)
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return dt.date(day.year, 1, 1)
    return day


def period_end(start: dt.date, granularity: Granularity, years: int = 1) -> dt.date:
    """The last day of the period beginning at ``start`` (``years`` > 1 for a decade)."""
    if granularity == "day":
        return start
    if granularity == "week":
        return start + dt.timedelta(days=6)
    if granularity == "month":
        return add_months(start, 1) - _ONE_DAY
    return dt.date(start.year + years, 1, 1) - _ONE_DAY


def nearest_month_day(anchor: dt.date, month: int, day: int, future: bool) -> dt.date | None:
    """The ``month``/``day`` on or before ``anchor`` (a report) or on or after it (a plan)."""
    step = 1 if future else -1
    for offset in range(_LEAP_SEARCH_YEARS):
        try:
            candidate = dt.date(anchor.year + step * offset, month, day)
        except ValueError:
            continue
        if (candidate >= anchor) if future else (candidate <= anchor):
            return candidate
    return None


def nearest_month(anchor: dt.date, month: int, future: bool, strict: bool = False) -> dt.date:
    """First day of the ``month`` nearest ``anchor`` in the tense's direction.

    The anchor's own month counts ("in January" written in January) unless ``strict`` ("last January").
    """
    year = anchor.year
    if future and (month < anchor.month or (strict and month == anchor.month)):
        year += 1
    elif not future and (month > anchor.month or (strict and month == anchor.month)):
        year -= 1
    return dt.date(year, month, 1)


def nearest_weekday(anchor: dt.date, weekday: int, future: bool, strict: bool = False) -> dt.date:
    """The ``weekday`` (Monday = 0) on or before / on or after ``anchor``.

    A news story dated Monday that says "on Monday" means that very day, hence "on or"; ``strict`` is for
    "last Monday" / "next Monday", which never mean the anchor itself.
    """
    delta = (weekday - anchor.weekday()) % 7 if future else (anchor.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return anchor + dt.timedelta(days=delta if future else -delta)


def nearest_yearly(anchor: dt.date, on_year: Callable[[int], dt.date | None], future: bool) -> dt.date | None:
    """The occurrence of a yearly day (a holiday) nearest ``anchor`` in the tense's direction."""
    years = range(anchor.year, anchor.year + 2) if future else range(anchor.year, anchor.year - 2, -1)
    for year in years:
        day = on_year(year)
        if day is not None and ((day >= anchor) if future else (day <= anchor)):
            return day
    logger.debug("no occurrence of a yearly day near %s", anchor)
    return None


@cache
def _us_federal(year: int) -> dict[str, dt.date]:
    """US federal holidays of ``year`` by official name, without the observed-on-Friday/Monday shifts."""
    return {name: day for day, name in holidays.US(years=year, observed=False).items()}


def federal(name: str) -> Callable[[int], dt.date | None]:
    """A year → date function for a US federal holiday named as the ``holidays`` package names it."""
    return lambda year: _us_federal(year).get(name)


def fixed(month: int, day: int) -> Callable[[int], dt.date | None]:
    """A year → date function for a holiday on a fixed calendar day (Christmas Eve, Halloween)."""
    return lambda year: dt.date(year, month, day)


def easter_offset(days: int) -> Callable[[int], dt.date | None]:
    """A year → date function for Easter Sunday (``days`` = 0) or a day tied to it (Good Friday = -2)."""
    return lambda year: easter(year) + dt.timedelta(days=days)
