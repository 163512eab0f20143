"""Links that take a reader to the exact quoted lines, page or text.

Text fragments are built from the rendered text (what a browser shows), never from the markup: a
Markdown quote's backticks, link targets and emphasis would make the fragment match nothing.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from urllib.parse import quote

from retrieval.corpus.readers import reader_of_kind
from retrieval.models import Document

# Words kept at each end of a long quote's text fragment (textStart,textEnd), as browsers match them.
_FRAGMENT_WORDS = 6
_FRAGMENT_FULL_LIMIT = 80


def _fragment_part(text: str) -> str:
    """Percent-encode for a text directive: `-`, `,` and `&` are syntax there, so they are encoded too."""
    return quote(text, safe="").replace("-", "%2D")


def text_fragment(text: str) -> str:
    """A `#:~:text=` fragment that scrolls a browser to ``text`` on the document's page."""
    words = text.split()
    if len(text) <= _FRAGMENT_FULL_LIMIT or len(words) <= 2 * _FRAGMENT_WORDS:
        return "#:~:text=" + _fragment_part(" ".join(words))
    start = " ".join(words[:_FRAGMENT_WORDS])
    end = " ".join(words[-_FRAGMENT_WORDS:])
    return f"#:~:text={_fragment_part(start)},{_fragment_part(end)}"


def line_anchor(line_start: int, line_end: int) -> str:
    """A ``#L3-L5`` anchor: how GitHub-style source views highlight the quoted lines of a text file."""
    return f"#L{line_start}-L{line_end}"


def rendered_text(document: Document, text: str, kind: str = "text") -> str:
    """``text`` (a slice of the document) as its reader renders it: markup removed, whitespace collapsed."""
    reader = reader_of_kind(document.kind)
    plain = reader.plain(text, kind) if reader else text
    return " ".join(plain.split())


def normalised(text: str) -> str:
    """Text compared loosely: compatibility forms folded (PDF ligatures such as "ﬁ"), whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def quote_url(
    document: Document,
    text: str,
    line_start: int,
    line_end: int,
    *,
    base_url: str | None,
    corpus_label: str,
    start: int | None = None,
) -> str:
    """The best link we can give: the publisher's page scrolled to the quote, else the file's lines.

    Order: metadata url + text fragment; else ``base_url`` + file path + anchor; else the
    repository-relative path (``corpus_label/file``) with the same anchor. The anchor is the quote's
    page for a PDF (``#page=N``, from the block at ``start``), a text fragment for an HTML page, and
    line numbers for the formats whose files are text (txt, md, rst).
    """
    block = document.block_at(start) if start is not None else None
    if document.kind == "pdf":
        page = block.page if block else None
        anchor = f"#page={page}" if page else ""
        if document.url:
            return document.url.split("#", 1)[0] + anchor
    elif document.url or document.kind == "html":  # a text fragment: rendering costs, so only when it is used
        fragment = text_fragment(rendered_text(document, text, block.kind if block else "text"))
        if document.url:
            return document.url.split("#", 1)[0] + fragment
        anchor = fragment
    else:
        anchor = line_anchor(line_start, line_end)
    if base_url:
        return f"{base_url.rstrip('/')}/{_quoted_path(document.path)}{anchor}"
    return f"{corpus_label.rstrip('/')}/{_quoted_path(document.path)}{anchor}"


@lru_cache(maxsize=4096)
def _quoted_path(path: str) -> str:
    """A file name percent-encoded for a URL; the same few files are cited again and again."""
    return quote(path)
