"""Per-sentence statistics computed at index time, so that answering only reads them.

The reranker scores every sentence of the candidate passages; for that it needs each sentence's
terms, its number of distinct terms, which sentences a passage holds and which paragraph a sentence
belongs to. Every sentence's terms live in one ``TermTable``: int32 term ids end to end with an
offset per sentence (a CSR, no Python object per sentence or per term), numbered like the passage
index's vocabulary, so an answer matches its few question terms against the candidates' ids with
numpy, and the saved index stores each file's table as a few arrays and its own small vocabulary.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np

from retrieval.corpus.tables import PassageTable, SentenceTable
from retrieval.models import Passage


@dataclass(frozen=True, eq=False)
class TermTable:
    """Sentences' analysed terms (and typed terms) as ids into ``vocabulary``, one row per sentence.

    Row r's terms are ``ids[offsets[r]:offsets[r + 1]]`` in order; its typed terms (``kind_ids``, with
    their kind bits in ``kind_values``) are ``kind_offsets[r]:kind_offsets[r + 1]``. ``starts`` maps a
    document to its first row: rows follow each document's sentences in order.
    """

    vocabulary: list[str]
    ids: np.ndarray  # int32
    offsets: np.ndarray  # int64, rows + 1
    kind_ids: np.ndarray  # int32
    kind_values: np.ndarray  # uint8
    kind_offsets: np.ndarray  # int64, rows + 1
    starts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls, documents: Iterable[tuple[str, Iterable[tuple[Sequence[str], Sequence[tuple[str, int]]]]]]
    ) -> TermTable:
        """A table from each document's sentences' (terms, typed terms), terms numbered by first appearance."""
        numbers: dict[str, int] = {}
        ids, kind_ids, kind_values = array("i"), array("i"), array("B")  # 4 bytes a term while building
        offsets, kind_offsets = array("q", [0]), array("q", [0])
        starts: dict[str, int] = {}
        for doc_id, sentences in documents:
            starts[doc_id] = len(offsets) - 1
            for terms, kinds in sentences:
                ids.extend([numbers.setdefault(term, len(numbers)) for term in terms])
                offsets.append(len(ids))
                for term, kind in kinds:
                    kind_ids.append(numbers.setdefault(term, len(numbers)))
                    kind_values.append(kind)
                kind_offsets.append(len(kind_ids))
        return cls(
            list(numbers),
            np.array(ids, dtype=np.int32),
            np.array(offsets, dtype=np.int64),
            np.array(kind_ids, dtype=np.int32),
            np.array(kind_values, dtype=np.uint8),
            np.array(kind_offsets, dtype=np.int64),
            starts,
        )

    @classmethod
    def join(cls, tables: Sequence[TermTable]) -> TermTable:
        """The tables' rows one after the other, over one vocabulary (one dict lookup per term per table)."""
        numbers: dict[str, int] = {}
        ids, kind_ids, offsets, kind_offsets = [], [], [np.zeros(1, dtype=np.int64)], [np.zeros(1, dtype=np.int64)]
        starts: dict[str, int] = {}
        rows = 0
        for table in tables:
            mapping = np.fromiter(
                (numbers.setdefault(term, len(numbers)) for term in table.vocabulary),
                dtype=np.int32,
                count=len(table.vocabulary),
            )
            ids.append(mapping[table.ids])
            kind_ids.append(mapping[table.kind_ids])
            offsets.append(table.offsets[1:] + offsets[-1][-1])
            kind_offsets.append(table.kind_offsets[1:] + kind_offsets[-1][-1])
            starts.update((doc_id, start + rows) for doc_id, start in table.starts.items())
            rows += table.rows
        return cls(
            list(numbers),
            np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32),
            np.concatenate(offsets),
            np.concatenate(kind_ids) if kind_ids else np.zeros(0, dtype=np.int32),
            np.concatenate([t.kind_values for t in tables]) if tables else np.zeros(0, dtype=np.uint8),
            np.concatenate(kind_offsets),
            starts,
        )

    @property
    def rows(self) -> int:
        """How many sentences the table holds."""
        return len(self.offsets) - 1

    def terms(self, row: int) -> tuple[str, ...]:
        """Row ``row``'s terms as strings, in order."""
        vocabulary = self.vocabulary
        return tuple(vocabulary[number] for number in self.ids[self.offsets[row] : self.offsets[row + 1]].tolist())

    def kinds(self, row: int) -> tuple[tuple[str, int], ...]:
        """Row ``row``'s typed terms with their kind bits."""
        start, end = self.kind_offsets[row], self.kind_offsets[row + 1]
        names = (self.vocabulary[number] for number in self.kind_ids[start:end].tolist())
        return tuple(zip(names, self.kind_values[start:end].tolist(), strict=True))

    def passage_rows(self, passage: Passage) -> range:
        """The rows of ``passage``'s sentences."""
        start = self.starts[passage.doc_id]
        return range(start + passage.first_sentence, start + passage.last_sentence + 1)

    def numbered(self, vocabulary: Sequence[str], numbers: Mapping[str, int]) -> tuple[TermTable, dict[str, int]]:
        """This table in another numbering (the index's ``vocabulary``/``numbers``), and the terms it adds.

        Terms the numbering lacks (a sentence in no passage) are numbered after it, and returned. When the
        numbering is this table's own, the arrays are shared, not copied.
        """
        extra: dict[str, int] = {}
        base = len(vocabulary)
        mapping = np.fromiter(
            (
                number if (number := numbers.get(term)) is not None else extra.setdefault(term, base + len(extra))
                for term in self.vocabulary
            ),
            dtype=np.int64,
            count=len(self.vocabulary),
        )
        whole = [*vocabulary, *extra] if extra or not isinstance(vocabulary, list) else vocabulary  # shared
        ids, kind_ids = self.ids, self.kind_ids
        if not np.array_equal(mapping, np.arange(len(mapping))):
            ids, kind_ids = mapping[ids].astype(np.int32), mapping[kind_ids].astype(np.int32)
        return TermTable(whole, ids, self.offsets, kind_ids, self.kind_values, self.kind_offsets, self.starts), extra


class PassageRows(Sequence[range]):
    """Each passage's sentence rows, as two int arrays instead of one ``range`` object per passage."""

    def __init__(self, firsts: np.ndarray, ends: np.ndarray) -> None:
        self.firsts = firsts
        self.ends = ends
        self.lengths = ends - firsts

    def __len__(self) -> int:
        return len(self.firsts)

    @overload
    def __getitem__(self, number: int) -> range: ...
    @overload
    def __getitem__(self, number: slice) -> list[range]: ...
    def __getitem__(self, number: int | slice) -> range | list[range]:
        if isinstance(number, slice):
            return [self[n] for n in range(*number.indices(len(self)))]
        return range(int(self.firsts[number]), int(self.ends[number]))


class SentenceStats:
    """Rows are the corpus's sentences in order; ``passage_rows[number]`` are a passage's rows.

    Term ids follow ``numbers`` (the passage index's vocabulary; terms it lacks come after it).
    """

    def __init__(
        self,
        sentences: SentenceTable,
        passages: PassageTable,
        table: TermTable,
        vocabulary: Sequence[str] = (),
        numbers: Mapping[str, int] | None = None,
    ) -> None:
        if table.rows != len(sentences):
            raise ValueError(f"{table.rows} term rows for {len(sentences)} sentences")
        if numbers is None:  # the table's own numbering
            vocabulary, numbers = table.vocabulary, {term: number for number, term in enumerate(table.vocabulary)}
        self.table, self._extra = table.numbered(vocabulary, numbers)
        self.numbers = numbers
        self.vocabulary = self.table.vocabulary
        self.ids, self.offsets = self.table.ids, self.table.offsets
        self._scratch = threading.local()
        lengths = np.diff(self.offsets)
        self.lengths = lengths.astype(np.float64)
        self.distinct = distinct_counts(self.ids, self.offsets)
        total = int(lengths.sum())
        self.average_length = total / len(sentences) if total else 1.0
        # Columns, not objects: a warm start at 50k sentences spent ~0.4 s making Sentence/Passage objects here.
        document_start = np.asarray([table.starts.get(d.doc_id, 0) for d in passages.documents], dtype=np.int64)
        firsts = document_start[passages.column("doc")] + passages.column("first_sentence")
        counts = passages.column("last_sentence") - passages.column("first_sentence") + 1
        self.passage_rows = PassageRows(firsts, firsts + counts)
        # One number per (document, paragraph), counted along the rows: equal numbers mean the same paragraph.
        doc, paragraph = sentences.column("doc"), sentences.column("paragraph")
        changes = (doc[1:] != doc[:-1]) | (paragraph[1:] != paragraph[:-1])
        self.paragraph_of = np.concatenate([np.zeros(min(1, len(doc)), np.int64), np.cumsum(changes, dtype=np.int64)])

    def term_id(self, term: str) -> int | None:
        """The id of ``term`` in this table's numbering, None when no sentence or passage holds it."""
        number = self.numbers.get(term)
        return number if number is not None else self._extra.get(term)

    def row_ids(self, first: int, end: int) -> np.ndarray:
        """The term ids of rows ``first`` to ``end`` (exclusive), end to end."""
        return self.ids[self.offsets[first] : self.offsets[end]]

    def terms(self, row: int) -> tuple[str, ...]:
        """Row ``row``'s terms as strings, in order."""
        return self.table.terms(row)

    def passage_terms(self, number: int) -> frozenset[str]:
        """The distinct terms of passage ``number``'s sentences."""
        rows = self.passage_rows[number]
        return frozenset(self.vocabulary[n] for n in set(self.row_ids(rows.start, rows.stop).tolist()))

    def same_paragraph(self, row: int, other: int) -> bool:
        """Whether sentence row ``other`` exists and shares ``row``'s paragraph."""
        return 0 <= other < len(self.paragraph_of) and self.paragraph_of[other] == self.paragraph_of[row]

    def columns(self, ids: np.ndarray, wanted: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """For each of ``ids``, the column of the ``wanted`` id it equals (``columns``), or -1.

        A lookup in a per-thread array over the vocabulary, set and cleared around the call: cheaper than
        sorting or hashing for the ~2,000 ids of an answer's candidates.
        """
        slots = getattr(self._scratch, "slots", None)
        if slots is None:
            slots = self._scratch.slots = np.full(len(self.vocabulary), -1, dtype=np.int16)
        slots[wanted] = columns
        try:
            return slots[ids]
        finally:
            slots[wanted] = -1

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The term ids of ``rows`` end to end and, for each, its position in ``rows``."""
        positions, owner = _positions(self.offsets, rows)
        return self.ids[positions], owner

    def gather_kinds(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The typed term ids of ``rows`` end to end, their kind bits and each one's position in ``rows``."""
        table = self.table
        positions, owner = _positions(table.kind_offsets, rows)
        return table.kind_ids[positions], table.kind_values[positions], owner


def spread(firsts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``firsts[i]``, ``firsts[i] + 1``, … (``lengths[i]`` numbers) for every i, end to end."""
    ends = np.cumsum(lengths)
    return np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(firsts - (ends - lengths), lengths)


def _positions(offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions ``offsets[r]:offsets[r + 1]`` of every row in ``rows`` end to end, and each one's row."""
    starts = offsets[rows]
    lengths = offsets[rows + 1] - starts
    return spread(starts, lengths), np.repeat(np.arange(len(rows)), lengths)


def distinct_counts(ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """How many distinct terms each row holds (int32): unique (row, term) pairs counted per row."""
    rows = len(offsets) - 1
    if not len(ids):
        return np.zeros(rows, dtype=np.int32)
    width = int(ids.max()) + 1
    pairs = np.repeat(np.arange(rows, dtype=np.int64), np.diff(offsets)) * width + ids
    pairs.sort()  # a plain sort: numpy's hash-based unique takes ~5x longer on millions of ints
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] // width, minlength=rows).astype(np.int32)
