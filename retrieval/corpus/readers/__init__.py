"""Document readers by file extension, behind one interface (`Reader`).

To accept a new kind of file, write a class with ``kind``, ``suffixes``, ``gives``, ``read(raw)`` and
``plain(text, kind)`` and `register` an instance; the loader, `corpusbot check`, ``--help`` and the
link builder pick it up.
"""

from __future__ import annotations

from retrieval.corpus.readers.base import Extracted, Reader, Unreadable
from retrieval.corpus.readers.html import HtmlReader
from retrieval.corpus.readers.markdown import MarkdownReader
from retrieval.corpus.readers.pdf import PdfReader
from retrieval.corpus.readers.plain import PlainTextReader
from retrieval.corpus.readers.rst import RstReader

__all__ = [
    "Extracted",
    "Reader",
    "Unreadable",
    "accepted_suffixes",
    "reader_for",
    "reader_of_kind",
    "readers",
    "register",
]

_BY_SUFFIX: dict[str, Reader] = {}
_BY_KIND: dict[str, Reader] = {}


def register(reader: Reader) -> None:
    """Accept ``reader.suffixes`` from now on (a later registration of a suffix replaces the earlier one)."""
    _BY_KIND[reader.kind] = reader
    for suffix in reader.suffixes:
        _BY_SUFFIX[suffix.lower()] = reader


def reader_for(suffix: str) -> Reader | None:
    """The reader of a file extension such as ".md" (any case), or None when no reader accepts it."""
    return _BY_SUFFIX.get(suffix.lower())


def reader_of_kind(kind: str) -> Reader | None:
    """The reader a loaded document came from (``Document.kind``), to render its quotes as a browser shows them."""
    return _BY_KIND.get(kind)


def readers() -> tuple[Reader, ...]:
    """Every registered reader, one per kind: what `corpusbot check` and ``--help`` list as accepted."""
    return tuple(_BY_KIND.values())


def accepted_suffixes() -> tuple[str, ...]:
    """Every file extension some reader accepts, to name them when a file or a whole folder is skipped."""
    return tuple(_BY_SUFFIX)


for _reader in (PlainTextReader(), MarkdownReader(), RstReader(), HtmlReader(), PdfReader()):
    register(_reader)
