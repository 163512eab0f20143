"""The few SQL spellings that differ between SQLite and PostgreSQL; everything else is written once.

Table modules write portable SQL with ``?`` placeholders and ask the connection's dialect for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dialect:
    """The SQL pieces one backend spells its own way."""

    name: str
    # The LIMIT value meaning "no limit" (SQLite refuses NULL, PostgreSQL refuses -1).
    no_limit: int | None
    # FROM item expanding ``q.sources`` (a JSON array of [doc_id, start, end]) into rows ``s``...
    source_rows: str
    # ...and the expression for the document id of one such row.
    source_doc: str


SQLITE = Dialect(
    name="sqlite",
    no_limit=-1,
    source_rows="json_each(q.sources) s",
    source_doc="json_extract(s.value, '$[0]')",
)

POSTGRES = Dialect(
    name="postgresql",
    no_limit=None,
    source_rows="jsonb_array_elements(q.sources::jsonb) s(value)",
    source_doc="(s.value ->> 0)",
)
