"""Markdown read by its structure (markdown-it-py, CommonMark plus tables) with YAML front matter.

Quotable blocks are paragraphs, list items, table rows (with their header row as lead) and code blocks
(their content, quoted whole). Headings are not quoted: they make the heading path of what follows, and
the first H1 is the title. Badges and image-only lines, HTML blocks, link-reference definitions and
horizontal rules are never quoted. Spans are exact slices of the file, so quotes keep their inline
markup as written; `plain` gives the rendered text for links.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from retrieval.corpus.readers.base import Extracted, HeadingPath, decode_text, line_starts, parse_day, trim
from retrieval.models import Block

logger = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# What precedes a paragraph's text on its first line: indentation, block-quote markers, a list marker.
_FIRST_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))?")
_LINE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_QUOTE_MARKERS = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")
_TEXT_CHILDREN = frozenset({"text", "code_inline"})
_BREAKS = frozenset({"softbreak", "hardbreak"})

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class MarkdownReader:
    """Markdown files (READMEs, docs, notes), quoted verbatim as written, markup included."""

    kind = "md"
    suffixes = (".md", ".markdown")
    gives = (
        "title/date/url/author from YAML front matter, else the first H1; heading paths; paragraphs, list items, "
        "table rows with their header, code blocks whole; badges, images and HTML never quoted"
    )

    def read(self, raw: bytes) -> Extracted:
        """The file itself as text, its blocks by parsed structure, metadata from the front matter."""
        text = decode_text(raw)
        meta, body_start = _front_matter(text)
        # The front matter is blanked, not cut, so the parser's line numbers stay the file's.
        source = "\n" * text.count("\n", 0, body_start) + text[body_start:]
        walker = _Walker(text, line_starts(text))
        walker.walk(_PARSER.parse(source))
        return Extracted(
            text=text,
            blocks=tuple(walker.blocks),
            title=_string(meta.get("title")) or walker.first_h1,
            date=parse_day(meta.get("date")),
            url=_string(meta.get("url") or meta.get("canonical_url") or meta.get("link")),
            author=_author(meta.get("author") or meta.get("authors")),
            body_start=body_start,
        )

    def plain(self, text: str, kind: str) -> str:
        """A quote's rendered text: block-quote markers, inline markup and table pipes dropped; code as is."""
        if kind == "code":
            return text
        text = _QUOTE_MARKERS.sub("", text)
        if kind == "table":
            cells = [cell for cell in text.strip().strip("|").split("|")]
            return " ".join(_inline_plain(cell) for cell in cells if cell.strip())
        return _inline_plain(text)


@lru_cache(maxsize=4096)  # a quote's rendered text is needed for its link and again for its citation
def _inline_plain(text: str) -> str:
    """What a browser shows for a piece of inline Markdown: text and code, no markup, no images."""
    pieces: list[str] = []
    for token in _PARSER.parseInline(text)[0].children or []:
        if token.type in _TEXT_CHILDREN:
            pieces.append(token.content)
        elif token.type in _BREAKS:
            pieces.append(" ")
    return " ".join("".join(pieces).split())


class _Walker:
    """Walks the token stream once, keeping the heading path and the list depth."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text = text
        self.starts = starts
        self.blocks: list[Block] = []
        self.first_h1: str | None = None
        self.headings = HeadingPath()

    def walk(self, tokens: Sequence[Token]) -> None:
        lists = 0
        header: tuple[int, int] | None = None
        for number, token in enumerate(tokens):
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                lists += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists -= 1
            elif kind == "heading_open":
                title = _inline_plain(tokens[number + 1].content)
                level = int(token.tag[1:])
                self.headings.enter(level, title)
                if level == 1 and self.first_h1 is None and title:
                    self.first_h1 = title
            elif kind == "paragraph_open" and token.map:
                self._paragraph(token.map, tokens[number + 1], "item" if lists else "text")
            elif kind in ("fence", "code_block") and token.map:
                self._code(token.map, fenced=kind == "fence")
            elif kind == "thead_open":
                header = None
            elif kind == "tr_open" and token.map:
                span = self._lines(token.map[0], token.map[1] - 1)
                if span and header is None:
                    header = span
                elif span:
                    self._add(span, "table", lead=header)

    def _lines(self, first: int, last: int, prefix: re.Pattern[str] = _LINE_PREFIX) -> tuple[int, int] | None:
        """The span from line ``first`` (after its prefix) to the end of line ``last``, 0-based, trimmed."""
        begin = self.starts[first]
        line_end = self.starts[first + 1] if first + 1 < len(self.starts) else len(self.text)
        match = prefix.match(self.text, begin, line_end)
        start = match.end() if match else begin
        end = self.starts[min(last + 1, len(self.starts) - 1)]
        return trim(self.text, start, end)

    def _paragraph(self, lines: list[int], inline: Token, kind: str) -> None:
        """A paragraph without its image-only lines (badges), as one block per run of text lines."""
        first, stop = lines
        has_text = _lines_with_text(inline)
        if len(has_text) != stop - first:  # the parser joined lines differently: keep it whole if it says anything
            has_text = [any(has_text)] * (stop - first)
        run_start: int | None = None
        for offset, keep in enumerate([*has_text, False]):
            if keep and run_start is None:
                run_start = offset
            elif not keep and run_start is not None:
                prefix = _FIRST_PREFIX if run_start == 0 else _LINE_PREFIX
                span = self._lines(first + run_start, first + offset - 1, prefix)
                if span:
                    self._add(span, kind)
                run_start = None

    def _code(self, lines: list[int], fenced: bool) -> None:
        """The code itself, without its fences: a fence's last line is content only when it is unclosed."""
        first, stop = lines
        if fenced:
            first += 1
            closing = self.text[self.starts[stop - 1] : self.starts[stop]].strip()
            if stop - 1 >= first and closing[:3] in ("```", "~~~"):
                stop -= 1
        if stop <= first:
            return
        span = trim(self.text, self.starts[first], self.starts[stop])
        if span:
            self._add(span, "code")

    def _add(self, span: tuple[int, int], kind: str, lead: tuple[int, int] | None = None) -> None:
        self.blocks.append(Block(span[0], span[1], kind, self.headings.path, None, lead))


def _lines_with_text(inline: Token) -> list[bool]:
    """For each source line of a paragraph: does it say something (not only images, badges or in-page links)?"""
    lines = [False]
    in_page_link = False  # text of a link to an anchor of this page is a table-of-contents entry
    for child in inline.children or []:
        if child.type in _BREAKS:
            lines.append(False)
        elif child.type == "link_open":
            in_page_link = str(child.attrGet("href") or "").startswith("#")
        elif child.type == "link_close":
            in_page_link = False
        elif child.type in _TEXT_CHILDREN and child.content.strip() and not in_page_link:
            lines[-1] = True
    return lines


def _front_matter(text: str) -> tuple[dict[str, object], int]:
    """YAML front matter (``---`` … ``---`` at the very top) and where the body starts."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as error:
        logger.warning("ignoring front matter that is not valid YAML: %s", error)
        return {}, match.end()
    return (data if isinstance(data, dict) else {}), match.end()


def _string(value: object) -> str | None:
    return " ".join(str(value).split()) or None if isinstance(value, (str, int, float)) else None


def _author(value: object) -> str | None:
    if isinstance(value, list):
        names = [_string(item.get("name") if isinstance(item, dict) else item) for item in value]
        return ", ".join(name for name in names if name) or None
    if isinstance(value, dict):
        return _string(value.get("name"))
    return _string(value)
