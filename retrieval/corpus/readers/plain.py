"""Plain text: paragraphs separated by blank lines, an optional `date YYYY-MM-DD` first line and headline."""

from __future__ import annotations

import re
from datetime import date

from retrieval.corpus.chunking import paragraph_spans
from retrieval.corpus.readers.base import Extracted, Unreadable, decode_text
from retrieval.models import Block

MAX_HEADLINE_CHARS = 90
_DATE_LINE = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")


class PlainTextReader:
    """Plain text files, the simplest corpus: a news article saved as text, with its date on the first line."""

    kind = "txt"
    suffixes = (".txt",)
    gives = "paragraphs (blank-line separated); a `date YYYY-MM-DD` first line; a short first line as title"

    def read(self, raw: bytes) -> Extracted:
        """The file itself as text, one block per paragraph after the date line and headline."""
        text = decode_text(raw)
        body_start, line_date = _date_line(text)
        if not text[body_start:].strip():
            raise Unreadable("it holds only a date line")
        headline_end = _headline_end(text, body_start)
        title = text[body_start:headline_end].strip() if headline_end else None
        start = headline_end or body_start
        blocks = tuple(Block(s, e) for s, e in paragraph_spans(text, start))
        return Extracted(text=text, blocks=blocks, title=title, date=line_date, body_start=start)

    def plain(self, text: str, kind: str) -> str:
        """``text`` unchanged: plain text reads as it is written."""
        return text


def _date_line(text: str) -> tuple[int, date | None]:
    match = _DATE_LINE.match(text)
    if not match:
        return 0, None
    try:
        return match.end(), date(*map(int, match.groups()))
    except ValueError:
        return 0, None


def _headline_end(text: str, start: int) -> int:
    """End of a headline line opening the body, or 0 when there is none.

    A headline is a short first line without closing punctuation, followed by more text. It becomes
    the document's title and is not quoted as an answer (it is a label, not a statement).
    """
    line_end = text.find("\n", start)
    if line_end < 0:
        return 0
    line = text[start:line_end].strip()
    if not line or len(line) > MAX_HEADLINE_CHARS or line.endswith((".", "?", "!", ":", "\u201d", '"')):
        return 0
    return line_end if text[line_end:].strip() else 0
