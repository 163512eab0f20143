"""A corpus's sentences and passages as columns of machine integers, made into objects only when read.

One ``Sentence`` object with its offsets and line numbers as Python ints costs ~220 bytes, one
``Passage`` ~330: at 50k passages (193k sentences) that was ~60 MB, at 200k a quarter of a gigabyte,
for numbers that fit in 4 bytes each. The tables keep one ``array`` per field (~40 bytes a sentence)
and build the frozen ``Sentence``/``Passage`` a reader asks for (about a microsecond each; an answer
reads a few dozen). They are read-only sequences, equal to any sequence of the same pieces.
"""

from __future__ import annotations

from abc import abstractmethod
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Self, TypeVar, overload

import numpy as np

from retrieval.models import Document, Passage, Sentence

T = TypeVar("T")
NONE = -1  # a missing page or lead in the integer columns
_KINDS = ("text", "item", "code", "table")
_OFFSETS = frozenset({"start", "end", "lead_start", "lead_end"})


class Rows(Sequence[T], Generic[T]):
    """A read-only view of some rows of a table: what a slice or ``Corpus.sentences_of`` returns."""

    __slots__ = ("_make", "_rows")

    def __init__(self, make: Callable[[int], T], rows: range) -> None:
        self._make = make
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, position: int) -> T: ...

    @overload
    def __getitem__(self, position: slice) -> Rows[T]: ...

    def __getitem__(self, position: int | slice) -> T | Rows[T]:
        if isinstance(position, slice):
            return Rows(self._make, self._rows[position])
        return self._make(self._rows[position])

    def __iter__(self) -> Iterator[T]:
        return map(self._make, self._rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable-looking sequences are not hashable, like lists

    def __repr__(self) -> str:
        return f"<{len(self)} rows {self._rows.start}..{self._rows.stop}>"


def document_runs(doc: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Each document number's rows as (first, stop); raises ValueError when a document's rows are split."""
    runs: dict[int, tuple[int, int]] = {}
    first = 0
    for row in range(1, len(doc) + 1):
        if row == len(doc) or doc[row] != doc[first]:
            if doc[first] in runs:
                raise ValueError("a corpus's sentences must be grouped by document, in order")
            runs[doc[first]] = (first, row)
            first = row
    return runs


class _Table(Rows[T]):
    """Integer columns (one ``array`` per field) over a corpus's documents; subclasses say how a row reads."""

    __slots__ = ("_columns", "_documents", "doc")
    _NAMES: tuple[str, ...] = ()
    _RENUMBERED: tuple[str, ...] = ()  # columns numbered across the whole table, shifted when tables join

    def __init__(self, documents: Sequence[Document], pieces: Sequence[Any]) -> None:
        self._documents = tuple(documents)
        number_of = {document.doc_id: number for number, document in enumerate(self._documents)}
        # Character offsets may pass 2**31 in a huge text; counts of lines, sentences and pages do not.
        columns = {name: array("q" if name in _OFFSETS else "i") for name in self._NAMES}
        for piece in pieces:
            if piece.doc_id not in number_of:
                raise ValueError(f"a piece of {piece.doc_id!r}, which is not among the corpus's documents")
            values = self._values(piece)
            values["doc"] = number_of[piece.doc_id]
            for name, column in columns.items():
                column.append(values[name] if name in values else getattr(piece, name))
        self._columns = columns
        self.doc = columns["doc"]  # each row's document number, in row order
        super().__init__(self._row, range(len(self.doc)))

    def _values(self, piece: Any) -> dict[str, Any]:
        """Columns whose value is not the piece's attribute of the same name."""
        return {}

    def _extras(self) -> list[Any]:
        """Per-row values kept outside the integer columns (none here), in row order."""
        return []

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its columns (machine bytes), never as one object per row."""
        return (self._restore, (self._documents, self._columns, self._extras()))

    @classmethod
    def _restore(cls, documents: tuple[Document, ...], columns: dict[str, array], extras: list[Any]) -> Self:
        table = cls.__new__(cls)
        table._documents, table._columns, table.doc = documents, columns, columns["doc"]
        table._set_extras(extras)
        Rows.__init__(table, table._row, range(len(table.doc)))
        return table

    def _set_extras(self, extras: list[Any]) -> None:
        """Take back what ``_extras`` gave."""

    @classmethod
    def join(cls, tables: Sequence[Self]) -> Self:
        """One table of the given tables' rows in order, over all their documents (no row object is made).

        Document numbers, and the columns numbered across a table (``_RENUMBERED``), are shifted by what
        the tables before hold: how per-file tables become the corpus's.
        """
        columns = {name: array("q" if name in _OFFSETS else "i") for name in cls._NAMES}
        documents: list[Document] = []
        extras: list[Any] = []
        for table in tables:
            shifts = {"doc": len(documents)} | {name: len(columns["doc"]) for name in cls._RENUMBERED}
            for name, column in columns.items():
                part = table._columns[name]
                if shifts.get(name):
                    shifted = np.frombuffer(part, dtype=part.typecode) + shifts[name]
                    part = array(part.typecode, shifted.astype(part.typecode).tobytes())
                column.extend(part)
            documents.extend(table._documents)
            extras.extend(table._extras())
        return cls._restore(tuple(documents), columns, extras)

    @abstractmethod
    def _row(self, row: int) -> T:
        """The row's ``Sentence`` or ``Passage`` object."""

    @property
    def documents(self) -> tuple[Document, ...]:
        """The documents the rows point into (document number = position here)."""
        return self._documents

    def column(self, name: str) -> np.ndarray:
        """One field of every row as a read-only numpy view (no copy): for vectorised loops over rows."""
        column = self._columns[name]
        view = np.frombuffer(column, dtype=column.typecode)
        view.flags.writeable = False
        return view

    def document_of(self, row: int) -> Document:
        """A row's document without building the row's object."""
        return self._documents[self.doc[row]]


class SentenceTable(_Table[Sentence]):
    """Every sentence of a corpus, in order, as columns."""

    __slots__ = ()
    _NAMES = ("doc", "index", "paragraph", "start", "end", "line_start", "line_end")

    def _row(self, row: int) -> Sentence:
        column = self._columns
        document = self._documents[self.doc[row]]
        return Sentence(
            document.doc_id,
            column["index"][row],
            column["paragraph"][row],
            column["start"][row],
            column["end"][row],
            column["line_start"][row],
            column["line_end"][row],
            document.text,
        )

    def text(self, row: int) -> str:
        """A sentence's words without building its object (the hot loops read only this)."""
        return self._documents[self.doc[row]].text[self._columns["start"][row] : self._columns["end"][row]]

    def texts(self) -> Iterator[str]:
        """Every sentence's words, in order."""
        return map(self.text, range(len(self)))


class PassageTable(_Table[Passage]):
    """Every passage of a corpus, in order, as columns."""

    __slots__ = ("_headings",)
    _NAMES = (
        "doc",
        "index",
        "paragraph",
        "first_sentence",
        "last_sentence",
        "start",
        "end",
        "line_start",
        "line_end",
        "page",
        "kind",
        "lead_start",
        "lead_end",
    )

    _RENUMBERED = ("index",)

    def __init__(self, documents: Sequence[Document], passages: Sequence[Passage]) -> None:
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct heading path
        self._headings = [shared.setdefault(p.heading_path, p.heading_path) for p in passages]
        super().__init__(documents, passages)

    def _extras(self) -> list[Any]:
        return self._headings

    def _set_extras(self, extras: list[Any]) -> None:
        self._headings = extras

    def _values(self, passage: Passage) -> dict[str, Any]:
        lead = passage.lead_span or (NONE, NONE)
        return {
            "page": NONE if passage.page is None else passage.page,
            "kind": _KINDS.index(passage.kind),
            "lead_start": lead[0],
            "lead_end": lead[1],
        }

    def _row(self, row: int) -> Passage:
        column = self._columns
        document = self._documents[self.doc[row]]
        page, lead = column["page"][row], (column["lead_start"][row], column["lead_end"][row])
        return Passage(
            document.doc_id,
            column["index"][row],
            column["paragraph"][row],
            column["first_sentence"][row],
            column["last_sentence"][row],
            column["start"][row],
            column["end"][row],
            column["line_start"][row],
            column["line_end"][row],
            document.text,
            heading_path=self._headings[row],
            page=None if page == NONE else page,
            kind=_KINDS[column["kind"][row]],
            lead_span=None if lead[0] == NONE else lead,
        )
