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
class Block:
    """A quotable stretch of a document as its reader found it: a paragraph, list item, code block or table row.

    ``kind`` is "text", "item", "code" or "table"; code and table rows are quoted whole. ``heading`` is the
    path of section titles above it; ``lead`` is the span of what the block cannot be read without — a table
    row's header row, a definition's term, the sentence introducing a code block — indexed and shown with it.
    """

    start: int
    end: int
    kind: str = "text"
    heading: tuple[str, ...] = ()
    page: int | None = None  # 1-based, for paged formats (PDF)
    lead: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file of the corpus folder that is not a document, and why: reported, never silently dropped."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus file, as its reader extracted it.

    One corpus file. ``text`` is what its reader extracted — for txt, md and rst the file's whole decoded
    content, for html and pdf the rendered text — and offsets everywhere refer to it.
    """

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
    kind: str = "txt"  # the reader that made ``text``: "txt", "md", "rst", "html" or "pdf"
    author: str | None = None
    blocks: tuple[Block, ...] = ()  # in order; empty means "paragraphs separated by blank lines"
    # Offsets where lines start, derived from ``text``: counting newlines from the start of the text
    # for every sentence made loading quadratic in a document's size (4 MB took minutes).
    _line_starts: array = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_line_starts", line_starts(self.text))

    def line_of(self, offset: int) -> int:
        """1-based line number holding ``offset``."""
        return bisect_right(self._line_starts, offset)

    def block_at(self, offset: int) -> Block | None:
        """The block holding ``offset`` (None outside every block, or when the reader gave none)."""
        number = bisect_right(self.blocks, offset, key=lambda block: block.start) - 1
        if number >= 0 and offset < self.blocks[number].end:
            return self.blocks[number]
        return None


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
        """The sentence's words, sliced from the document's text."""
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
    heading_path: tuple[str, ...] = ()  # section titles above it, indexed with it
    page: int | None = None
    kind: str = "text"  # its block's kind: "code" and "table" passages are one piece
    lead_span: tuple[int, int] | None = None  # its block's lead in ``source`` (a table row's header row, …)

    @property
    def text(self) -> str:
        """The passage's words, sliced from the document's text."""
        return self.source[self.start : self.end]

    @property
    def lead(self) -> str:
        """Its block's lead, indexed with it ("" when there is none)."""
        return self.source[self.lead_span[0] : self.lead_span[1]] if self.lead_span else ""


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
    score: float  # 0..1: the reranker's probability that this quote's sentence holds the answer
    start: int = 0  # character span in the document's text
    end: int = 0
    highlights: tuple[tuple[int, int], ...] = ()  # spans inside ``text`` that match query terms
    heading_path: tuple[str, ...] = ()  # "python-dotenv › Usage › Load .env" in citations
    page: int | None = None  # PDF page (1-based)
    kind: str = "text"  # "code": show in a code fence; "table": ``lead`` is the header row
    lead: str = ""  # its block's lead (a table row's header row, …), verbatim, shown above it
    rendered: str = ""  # the text as a reader sees it (markup removed): link fragments, evaluation

    @property
    def section(self) -> str:
        """The citation's label: the heading path (the title first when the path does not start with it)."""
        path = self.heading_path
        if path and self.title and path[0] != self.title:
            path = (self.title, *path)
        return " › ".join(path) if path else self.title

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
            "heading_path": list(self.heading_path),
            "page": self.page,
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
    confidence: float = 0.0  # 0..1: calibrated probability that the first quote holds the answer
    corpus_version: str = ""
    terms: tuple[str, ...] = field(default=())  # the analysed query terms
    corrected: str | None = None  # the question as searched after typo correction ("Showing results for …")
    # Machine-readable twins of ``reason`` and ``notice``, so an interface can say them in its user's language:
    # reason_code is "usage", "no_terms", "foreign", "not_mentioned" (reason_terms: the question's words no
    # matching passage mentions) or "weak_match"; notice_code is "question_cut" (cut_at: the characters kept).
    reason_code: str | None = None
    reason_terms: tuple[str, ...] = ()
    notice_code: str | None = None
    cut_at: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The CLI/JSON contract of `corpusbot ask --json`."""
        return {
            "question": self.question,
            "answered": self.answered,
            "reason": self.reason,
            "quotes": [q.to_dict() for q in self.quotes],
            "suggestions": [q.to_dict() for q in self.suggestions],
            "confidence": round(self.confidence, 4),
            "corrected": self.corrected,
        }
