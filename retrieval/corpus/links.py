"""Links that take a reader to the exact quoted lines."""

from __future__ import annotations

from urllib.parse import quote

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
    return f"#L{line_start}-L{line_end}"


def quote_url(
    document: Document,
    text: str,
    line_start: int,
    line_end: int,
    *,
    base_url: str | None,
    corpus_label: str,
) -> str:
    """The best link we can give: the publisher's page scrolled to the quote, else the file's lines.

    Order: metadata url + text fragment; else ``base_url`` + file path + line anchor; else the
    repository-relative path (``corpus_label/file``) with the same anchor.
    """
    if document.url:
        return document.url.split("#", 1)[0] + text_fragment(text)
    anchor = line_anchor(line_start, line_end)
    if base_url:
        return f"{base_url.rstrip('/')}/{quote(document.path)}{anchor}"
    return f"{corpus_label.rstrip('/')}/{quote(document.path)}{anchor}"
