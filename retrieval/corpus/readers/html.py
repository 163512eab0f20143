"""HTML pages: the main content only, as text built block by block from the page's structure.

The main content is the page's ``<main>``, ``<article>`` or ``role="main"`` element when it has one;
otherwise readability-lxml picks it. Navigation, headers, footers, asides, forms, scripts and styles are
dropped. The text the bot quotes is the rendered text (whitespace collapsed, one block per paragraph, list
item, table row or ``<pre>``), so quotes and link text fragments match what a browser shows. Title, date,
author and canonical URL come from the page's metadata.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from retrieval.corpus.readers.base import Extracted, HeadingPath, Unreadable, collapse, parse_day
from retrieval.models import Block

logger = logging.getLogger(__name__)

_DROPPED = frozenset(
    "script style noscript template nav header footer aside form button select textarea svg iframe object "
    "canvas dialog menu".split()
)
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_CONTAINERS = frozenset(
    "html body main article section div p li dd dt blockquote figure figcaption ul ol dl details summary "
    "center address".split()
)
_MAIN = ("//main", "//article", "//*[@role='main']")
_DATE_META = (
    "article:published_time",
    "datePublished",
    "date",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "article:modified_time",
)
_MIN_MAIN_CHARS = 200


class HtmlReader:
    """Saved web pages: only the article is quotable, never the site's navigation or boilerplate."""

    kind = "html"
    suffixes = (".html", ".htm")
    gives = (
        "the main content only (navigation, headers, footers and scripts dropped); title, date, author and "
        "canonical URL from the page's metadata; heading paths; paragraphs, list items, table rows, <pre> whole"
    )

    def read(self, raw: bytes) -> Extracted:
        """The main content's text as a browser shows it, blocks by element, metadata from the page's head."""
        if not raw.strip():
            raise Unreadable("it is empty")
        if b"\0" in raw:  # no HTML holds NUL bytes; an image or archive misnamed .html does
            raise Unreadable("it looks binary")
        try:
            page = lxml_html.document_fromstring(raw)
        except (etree.ParserError, ValueError) as error:
            raise Unreadable(f"not parsable HTML ({error})") from None
        meta = _metadata(page)
        builder = _TextBuilder()
        builder.walk(_main_content(page, raw))
        if not builder.blocks:
            raise Unreadable("its main content holds no text")
        return Extracted(
            text=builder.text,
            blocks=tuple(builder.blocks),
            title=meta.get("title") or builder.first_h1 or meta.get("page_title"),
            date=parse_day(meta.get("date")),
            url=meta.get("url"),
            author=meta.get("author"),
        )

    def plain(self, text: str, kind: str) -> str:
        """``text`` unchanged: the extracted text is already rendered, markup gone."""
        return text


def _main_content(page: lxml_html.HtmlElement, raw: bytes) -> lxml_html.HtmlElement:
    """The page's declared main element when it holds enough text; else readability's choice."""
    for path in _MAIN:
        found = page.xpath(path)
        if found and len(collapse(found[0].text_content())) >= _MIN_MAIN_CHARS:
            return found[0]
    from readability import Document as Readability  # ~60 ms to import: only for pages without a <main>

    try:
        summary = Readability(raw).summary(html_partial=True)
        return lxml_html.fragment_fromstring(summary, create_parent="div")
    except Exception as error:  # readability raises its own and lxml's errors on odd pages
        logger.info("readability could not isolate the main content (%s); using the whole body", error)
        body = page.find("body")
        return body if body is not None else page


def _metadata(page: lxml_html.HtmlElement) -> dict[str, str]:
    """Title, date, author and canonical URL from <meta>, <link> and <title>."""
    metas: dict[str, str] = {}
    for element in page.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = collapse(element.get("content") or "")
        if key and value:
            metas.setdefault(key, value)
    found: dict[str, str] = {}
    title = metas.get("og:title") or metas.get("dc.title")
    if title:
        found["title"] = title
    title_element = page.find(".//title")  # often "Page — Site": used only when the content has no <h1>
    if title_element is not None and collapse(title_element.text_content()):
        found["page_title"] = collapse(title_element.text_content())
    date = next((metas[key.lower()] for key in _DATE_META if key.lower() in metas), None)
    if date is None:
        times = page.xpath("//time[@datetime]/@datetime")
        date = str(times[0]) if times else None
    if date:
        found["date"] = date
    canonical = page.xpath("//link[@rel='canonical']/@href")
    url = str(canonical[0]) if canonical else metas.get("og:url", "")
    if url.startswith(("http://", "https://")):
        found["url"] = url
    if metas.get("author"):
        found["author"] = metas["author"]
    return found


class _TextBuilder:
    """Renders elements into text, one block per paragraph-like element, headings kept as path and text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.headings = HeadingPath()
        self.first_h1: str | None = None
        self.lead: tuple[int, int] | None = None  # the <dt> whose <dd> is being read

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def _emit(self, text: str, kind: str | None, lead: tuple[int, int] | None = None) -> tuple[int, int] | None:
        """Append a paragraph of text; a block too unless ``kind`` is None (a heading)."""
        if not text.strip():
            return None
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if kind is not None:
            self.blocks.append(Block(start, self.length, kind, self.headings.path, None, lead or self.lead))
        return start, self.length

    def walk(self, element: lxml_html.HtmlElement, in_item: bool = False) -> None:
        inline: list[str] = [element.text or ""]
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or tag in _DROPPED or _hidden(child):
                inline.append(child.tail or "")
                continue
            if tag in _HEADINGS or tag in ("pre", "table") or tag in _CONTAINERS:
                self._emit(collapse("".join(inline)), "item" if in_item else "text")
                inline = []
                self._block_element(child, tag, in_item)
                inline.append(child.tail or "")
            else:
                inline.append(_inline_text(child))
                inline.append(child.tail or "")
        self._emit(collapse("".join(inline)), "item" if in_item else "text")

    def _block_element(self, element: lxml_html.HtmlElement, tag: str, in_item: bool) -> None:
        if tag in _HEADINGS:
            title = collapse(_inline_text(element, tail=False))
            self.headings.enter(_HEADINGS[tag], title)
            if tag == "h1" and self.first_h1 is None and title:
                self.first_h1 = title
            self._emit(title, None)
        elif tag == "pre":
            self._emit(textwrap.dedent(element.text_content().strip("\n")).strip(), "code")
        elif tag == "table":
            self._table(element)
        elif tag == "dt":
            self.lead = self._emit(collapse(_inline_text(element)), None)
        elif tag == "dd":
            self.walk(element, in_item)
            self.lead = None
        else:
            self.walk(element, in_item or tag == "li")

    def _table(self, table: lxml_html.HtmlElement) -> None:
        header: tuple[int, int] | None = None
        for row in _rows(table):
            cells = [collapse(_inline_text(cell, tail=False)) for cell in row if cell.tag in ("td", "th")]
            line = " | ".join(cell for cell in cells if cell)
            if header is None and all(cell.tag == "th" for cell in row if isinstance(cell.tag, str)):
                header = self._emit(line, None)
            else:
                self._emit(line, "table", header)


def _rows(table: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The table's own rows (not those of tables nested in its cells)."""
    for row in table.iter("tr"):
        if next(row.iterancestors("table"), None) is table:
            yield row


def _inline_text(element: lxml_html.HtmlElement, *, tail: bool = False) -> str:
    """Text of an inline element and its descendants, dropped elements left out; <br> as a space."""
    if element.tag == "br":
        return " "
    pieces = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _DROPPED and not _hidden(child):
            pieces.append(_inline_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces) + (element.tail or "" if tail else "")


def _hidden(element: lxml_html.HtmlElement) -> bool:
    classes = (element.get("class") or "").split()
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or "headerlink" in classes  # the ¶ anchors of Sphinx and MkDocs pages
        or "display:none" in (element.get("style") or "").replace(" ", "")
    )
