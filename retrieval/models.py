"""Plain data shared by every layer: documents, their pieces, and answers.

Everything here is immutable and free of behaviour beyond serialisation, so the Discord layer, the
terminal and the tests can all pass these objects around without importing the retrieval machinery.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus file. ``text`` is the file's whole decoded content; offsets everywhere refer to it."""

    doc_id: str
    path: str  # file name relative to the corpus folder, e.g. "003_a1360f9908bf2d3c.txt"
    text: str
    title: str
    date: date | None
    date_inferred: bool
    body_start: int  # where quotable text begins: after a `date YYYY-MM-DD` prefix and a headline line
    sha256: str
    url: str | None = None  # from metadata; None when the corpus gives none
    publisher: str | None = None
    # Offsets where lines start, derived from ``text``: counting newlines from the start of the text
    # for every sentence made loading quadratic in a document's size (4 MB took minutes).
    _line_starts: array = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_line_starts", line_starts(self.text))

    def line_of(self, offset: int) -> int:
        """1-based line number holding ``offset``."""
        return bisect_right(self._line_starts, offset)


def line_starts(text: str) -> array:
    """Offsets of every line's first character (the first is 0), as compact machine integers."""
    starts = array("q", [0])
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its exact place: ``sentence.text == document.text[start:end]``.

    It holds the document's text itself (one shared string, not a copy) and slices it on demand:
    storing each sentence's and passage's text doubled a corpus's text in memory.
    """

    doc_id: str
    index: int  # position among the document's sentences
    paragraph: int  # index of the paragraph (in the document) holding it
    start: int
    end: int
    line_start: int
    line_end: int
    source: str = field(repr=False, compare=False)  # the whole ``Document.text``

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Passage:
    """The unit the index ranks: a paragraph, or a window of a long paragraph."""

    doc_id: str
    index: int  # position among all passages of the corpus
    paragraph: int
    first_sentence: int  # document sentence index of the first sentence, inclusive
    last_sentence: int  # inclusive
    start: int
    end: int
    line_start: int
    line_end: int
    source: str = field(repr=False, compare=False)  # the whole ``Document.text``, shared as in Sentence

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim excerpt of one document, ready to show and cite."""

    text: str
    doc_id: str
    title: str
    date: date | None
    url: str
    line_start: int
    line_end: int
    score: float  # normalised to 0..1 against the question's best possible score
    start: int = 0  # character span in the document's text
    end: int = 0
    highlights: tuple[tuple[int, int], ...] = ()  # spans inside ``text`` that match query terms

    def to_dict(self) -> dict[str, Any]:
        """The CLI/JSON contract: exactly these keys."""
        return {
            "text": self.text,
            "doc_id": self.doc_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two quotes from different dates that give different figures for the same thing."""

    subject: str  # the words the figures count, e.g. "death toll"
    figures: tuple[tuple[str, date | None, int], ...]  # (figure as written, its document's date, quote index)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the bot says to a question: quotes when the corpus answers it, suggestions when not."""

    question: str
    answered: bool
    reason: str | None
    quotes: tuple[Quote, ...] = ()
    suggestions: tuple[Quote, ...] = ()
    more: tuple[Quote, ...] = ()  # next-best quotes, for a "More" button
    conflicts: tuple[Conflict, ...] = ()
    notice: str | None = None  # e.g. "Your question was cut to 500 characters."
    confidence: float = 0.0  # 0..1
    corpus_version: str = ""
    terms: tuple[str, ...] = field(default=())  # the analysed query terms

    def to_dict(self) -> dict[str, Any]:
        """The CLI/JSON contract of `corpusbot ask --json`."""
        return {
            "question": self.question,
            "answered": self.answered,
            "reason": self.reason,
            "quotes": [q.to_dict() for q in self.quotes],
            "suggestions": [q.to_dict() for q in self.suggestions],
        }
