"""Dates written with digits only: ISO ``2020-10-28``, ``2020/10/28``, ``28.10.2020``, ``10/28/2020``, ``2020-10``.

Documentation, changelogs and logs write dates this way, and each names a day (or a month), never just its
year. The patterns refuse what only looks like a date: version numbers ("1.2.0"), season ranges ("2010-11"),
times and numbers glued to other digits or words. Day/month order for all-numeric dates follows the
separator: dots and dashes are day first (European), slashes month first (US), unless a part over 12 settles it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

logger = logging.getLogger(__name__)

__all__ = ["ISO_DAY", "ISO_MONTH", "NUMERIC_DAY", "iso_day", "iso_month", "numeric_day"]

_YEAR = r"(?P<year>1\d{3}|2[01]\d{2})"
_TIME = r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# Not glued to a word, another number, a path or a version: "v2020-10-28b" and "1.2020-10-28" are not dates.
_LEFT = r"(?<![\w./\-–])"
_RIGHT = r"(?![\w/\-–]|[.,:]\d)"

ISO_DAY = rf"{_LEFT}{_YEAR}(?P<sep>[-/])(?P<mon>\d{{2}})(?P=sep)(?P<dd>\d{{2}}){_TIME}{_RIGHT}"
NUMERIC_DAY = rf"{_LEFT}(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep){_YEAR}{_RIGHT}"
ISO_MONTH = rf"{_LEFT}{_YEAR}-(?P<mon>0[1-9]|1[0-2]){_RIGHT}"


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def iso_day(match: re.Match[str]) -> dt.date | None:
    """The day of ``YYYY-MM-DD`` or ``YYYY/MM/DD`` (a time after it is ignored); None when invalid."""
    return _day(int(match.group("year")), int(match.group("mon")), int(match.group("dd")))


def numeric_day(match: re.Match[str]) -> dt.date | None:
    """The day of ``DD.MM.YYYY``, ``DD-MM-YYYY`` or ``MM/DD/YYYY``; a part over 12 can only be the day."""
    first, second, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
    day_first = match.group("sep") in ".-"
    if first > 12:
        day_first = True
    elif second > 12:
        day_first = False
    return _day(year, second, first) if day_first else _day(year, first, second)


def iso_month(match: re.Match[str]) -> dt.date | None:
    """The month of ``YYYY-MM``, unless it is a span of two years ("2010-11", the 2010–2011 season)."""
    year, month = int(match.group("year")), int(match.group("mon"))
    if month == (year + 1) % 100:
        logger.debug("%s read as a span of years, not a month", match.group())
        return None
    return dt.date(year, month, 1)
