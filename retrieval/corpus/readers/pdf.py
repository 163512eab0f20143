"""PDF files (pypdf): the text of each page, cut into paragraphs, every block knowing its page.

A PDF holds positioned glyphs, not paragraphs, so paragraphs are rebuilt from the extracted lines: a
line much shorter than the page's usual line ends one. Lines repeated at the top or bottom of most pages
(running headers, footers) and bare page numbers are left out of the quotable blocks. Section titles come
from the PDF's outline (bookmarks) when it has one. Citations give the page and link with ``#page=N``.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from retrieval.corpus.readers.base import Extracted, Unreadable, collapse, parse_day
from retrieval.models import Block

if TYPE_CHECKING:
    import pypdf

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS = 90
SHORT_LINE = 0.7  # a line under this share of the page's usual length ends its paragraph
_PAGE_NUMBER = re.compile(r"\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*", re.IGNORECASE)
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")
_EDGE_LINES = 2  # lines at each end of a page that may be running headers or footers


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


class PdfReader:
    """PDF files with a text layer; scanned images without one are skipped and named, not read."""

    kind = "pdf"
    suffixes = (".pdf",)
    gives = "text per page, paragraphs rebuilt from line lengths; citations give the page and link with #page=N"

    def read(self, raw: bytes) -> Extracted:
        """The pages' text with paragraph blocks; title, date and author from the PDF's info, else its fonts."""
        with _quiet_pypdf():
            return self._read(raw)

    def _read(self, raw: bytes) -> Extracted:
        # Imported here: pypdf takes ~70 ms to import, paid only by corpora that hold a PDF.
        import pypdf
        from pypdf.errors import FileNotDecryptedError, PdfReadError

        try:
            pdf = pypdf.PdfReader(io.BytesIO(raw))
            if pdf.is_encrypted and not pdf.decrypt(""):
                raise Unreadable("it is encrypted (password protected)")
            sizes = _FontSizes()  # the first page's text by font size, for a title when /Title is empty
            texts = [
                page.extract_text(visitor_text=sizes if n == 0 else None) or "" for n, page in enumerate(pdf.pages)
            ]
        except Unreadable:
            raise
        except FileNotDecryptedError:
            raise Unreadable("it is encrypted (password protected)") from None
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
            raise Unreadable(f"not a readable PDF ({type(error).__name__}: {error})") from None
        except Exception as error:  # pypdf raises a wide range on damaged files; no file may stop the loader
            raise Unreadable(f"pypdf failed on it ({type(error).__name__})") from None
        if not any(text.strip() for text in texts):
            raise Unreadable("it has no extractable text (scanned images?)")
        text, pages = _join_pages(texts)
        outline = _outline(pdf)
        blocks = _blocks(text, pages, outline)
        info = _info(pdf)
        return Extracted(
            text=text,
            blocks=blocks,
            title=collapse(info.get("/Title", "")) or sizes.largest(),
            date=_pdf_date(info.get("/CreationDate") or info.get("/ModDate")),
            author=collapse(info.get("/Author", "")) or None,
        )

    def plain(self, text: str, kind: str) -> str:
        """``text`` unchanged: extracted PDF text has no markup."""
        return text


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's warnings while reading: they are noise for the operator when the text comes out.

    pypdf logs a warning per font it cannot fully decode (hundreds for some TeX PDFs) although the text
    comes out; the loader reports what matters (a file it cannot read), so those stay below ERROR.
    """
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        pypdf_logger.setLevel(level)


def _join_pages(texts: list[str]) -> tuple[str, list[list[_Line]]]:
    """One text, pages separated by a blank line; each page's non-empty lines with their spans."""
    parts: list[str] = []
    pages: list[list[_Line]] = []
    offset = 0
    for number, page_text in enumerate(texts):
        if number:
            parts.append("\n\n")
            offset += 2
        cleaned = "\n".join(line.rstrip() for line in page_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        cleaned = cleaned.strip("\n")
        lines: list[_Line] = []
        cursor = 0
        for line in cleaned.split("\n"):
            stripped = line.strip()
            if stripped:
                begin = offset + cursor + (len(line) - len(line.lstrip()))
                lines.append(_Line(begin, begin + len(stripped), stripped))
            cursor += len(line) + 1
        parts.append(cleaned)
        offset += len(cleaned)
        pages.append(lines)
    return "".join(parts), pages


def _blocks(text: str, pages: list[list[_Line]], outline: dict[int, tuple[str, ...]]) -> tuple[Block, ...]:
    repeated = _running_lines(pages)
    blocks: list[Block] = []
    heading: tuple[str, ...] = ()
    for number, lines in enumerate(pages, start=1):
        heading = outline.get(number, heading)
        kept = [line for line in lines if line.text not in repeated and not _PAGE_NUMBER.fullmatch(line.text)]
        if not kept:
            continue
        usual = sorted(len(line.text) for line in kept)[int(len(kept) * 0.8)]
        paragraph: list[_Line] = []
        for line in kept:
            paragraph.append(line)
            if len(line.text) < SHORT_LINE * usual:
                blocks.append(Block(paragraph[0].start, paragraph[-1].end, "text", heading, number))
                paragraph = []
        if paragraph:
            blocks.append(Block(paragraph[0].start, paragraph[-1].end, "text", heading, number))
    return tuple(blocks)


def _running_lines(pages: list[list[_Line]]) -> set[str]:
    """Lines found at the top or bottom of more than half the pages (of three or more)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {line.text for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        counts.update(edges)
    return {line for line, count in counts.items() if count > len(pages) / 2}


def _outline(pdf: pypdf.PdfReader) -> dict[int, tuple[str, ...]]:
    """Page number → the outline path of the last bookmark starting on or before it."""
    starts: list[tuple[int, tuple[str, ...]]] = []

    def visit(items: list, path: tuple[str, ...]) -> None:
        last: tuple[str, ...] = path
        for item in items:
            if isinstance(item, list):
                visit(item, last)
                continue
            try:
                number = pdf.get_destination_page_number(item)
            except Exception:  # a bookmark to nowhere: skip it
                continue
            if number is None:
                continue
            page = number + 1
            last = (*path, collapse(str(item.title)))
            starts.append((page, last))

    try:
        visit(pdf.outline, ())
    except Exception as error:  # a damaged outline must not lose the text
        logger.info("ignoring a PDF outline: %s", error)
        return {}
    by_page: dict[int, tuple[str, ...]] = {}
    for page, path in sorted(starts, key=lambda pair: pair[0]):
        by_page[page] = path
    return by_page


class _FontSizes:
    """A pypdf text visitor keeping each piece of text with its rendered font size."""

    def __init__(self) -> None:
        self.pieces: list[tuple[float, str]] = []

    def __call__(self, text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() and not (tm[1] or tm[2]):  # rotated text (margin stamps) is no title
            self.pieces.append((round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 1), text))

    def largest(self) -> str | None:
        """The text in the largest font: the title of most papers and reports without a /Title."""
        if not self.pieces:
            return None
        largest = max(size for size, _ in self.pieces)
        title = collapse("".join(text for size, text in self.pieces if size == largest))
        return title if 0 < len(title) <= MAX_TITLE_CHARS * 2 else None


def _info(pdf: pypdf.PdfReader) -> dict[str, str]:
    try:
        info = pdf.metadata
        return {str(key): str(value) for key, value in info.items()} if info else {}
    except Exception:  # damaged info dictionary
        return {}


def _pdf_date(value: str | None) -> date | None:
    if not value:
        return None
    match = _PDF_DATE.match(value.strip())
    return parse_day("-".join(match.groups())) if match else parse_day(value)
