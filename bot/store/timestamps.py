"""How moments are stored: fixed-width UTC strings, so string order is time order.

``2024-05-01T12:00:00.000000Z`` compares correctly as text, which keeps range filters simple,
index-friendly comparisons.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.records import When, parse_when

_DB_TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db_ts(moment: datetime) -> str:
    """Naive datetimes are taken as UTC: the log never deals in local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_DB_TS_FORMAT)


def from_db_ts(text: str) -> datetime:
    """The stored form back as an aware UTC datetime."""
    return datetime.strptime(text, _DB_TS_FORMAT).replace(tzinfo=UTC)


def lower_bound(value: When) -> str:
    """A date as a lower bound means from the start of that day."""
    moment = parse_when(value)
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min, UTC)
    return to_db_ts(moment)


def upper_bound(value: When) -> tuple[str, bool]:
    """Returns (bound, inclusive). A date as an upper bound includes that whole day."""
    moment = parse_when(value)
    if isinstance(moment, datetime):
        return to_db_ts(moment), True
    return to_db_ts(datetime.combine(moment + timedelta(days=1), time.min, UTC)), False
