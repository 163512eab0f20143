"""Loading a corpus folder: documents, their dates and titles, and their pieces.

A corpus is whatever documents a community drops in a folder (every kind a reader in
`retrieval.corpus.readers` accepts), so loading is forgiving: a file it cannot read is skipped and
named with the reason (`Corpus.skipped`), never a crash and never silently.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from retrieval.corpus.chunking import chunk_document, sentence_spans
from retrieval.corpus.readers import Extracted, Reader, Unreadable, accepted_suffixes, reader_for
from retrieval.corpus.readers.base import introduce_code
from retrieval.corpus.tables import PassageTable, SentenceTable, document_runs
from retrieval.models import Document, Passage, Sentence, SkippedFile

logger = logging.getLogger(__name__)

METADATA_FILE = "metadata.json"
# Not documents: the folder's metadata, and the marker that makes the bundled corpus an importable package.
NOT_DOCUMENTS = frozenset({METADATA_FILE, "__init__.py"})
MAX_TITLE_CHARS = 90
EXTRACTION_CACHE_SIZE = 512  # files whose extraction is kept in memory between loads
_EXTRACTED: dict[tuple[str, str], Extracted] = {}
_EXTRACTED_LOCK = threading.Lock()
NOTHING_QUOTABLE = "no quotable text (only headings, images or markup)"
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_ALT = "|".join(_MONTHS)
_ABSOLUTE_DATES = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_ALT})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_ALT}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Corpus:
    """Every document of a folder with its sentences and passages, plus a version that names the content.

    The version and the lookups by document are derived here, so a corpus built any way (a folder,
    the benchmark's synthetic one) cannot disagree with its own documents.
    """

    root: Path
    label: str  # how links name the folder when there is no URL: "seeds", or the folder's path
    documents: tuple[Document, ...]
    sentences: Sequence[Sentence]  # kept as a SentenceTable (columns), whatever sequence it is given
    passages: Sequence[Passage]  # kept as a PassageTable
    skipped: tuple[SkippedFile, ...] = ()
    version: str = field(init=False)
    _by_id: Mapping[str, Document] = field(init=False, repr=False)
    _sentences_by_doc: Mapping[str, range] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        sentences = self.sentences
        if not isinstance(sentences, SentenceTable) or sentences.documents != self.documents:
            sentences = SentenceTable(self.documents, sentences)
            object.__setattr__(self, "sentences", sentences)
        if not isinstance(self.passages, PassageTable) or self.passages.documents != self.documents:
            object.__setattr__(self, "passages", PassageTable(self.documents, self.passages))
        rows = {document.doc_id: range(0) for document in self.documents}
        for number, (first, stop) in document_runs(sentences.doc).items():
            rows[self.documents[number].doc_id] = range(first, stop)
        object.__setattr__(self, "version", corpus_version(list(self.documents)))
        object.__setattr__(self, "_by_id", {d.doc_id: d for d in self.documents})
        object.__setattr__(self, "_sentences_by_doc", rows)

    @property
    def sentence_table(self) -> SentenceTable:
        """The sentences as columns, for loops that read only their text or numbers."""
        return cast(SentenceTable, self.sentences)  # __post_init__ made it one

    @property
    def passage_table(self) -> PassageTable:
        """The passages as columns."""
        return cast(PassageTable, self.passages)  # __post_init__ made it one

    def document(self, doc_id: str) -> Document:
        """The document named ``doc_id``; KeyError when the corpus has none."""
        return self._by_id[doc_id]

    def sentences_of(self, doc_id: str) -> Sequence[Sentence]:
        """The document's sentences; ``Sentence.index`` indexes this sequence."""
        rows = self._sentences_by_doc.get(doc_id, range(0))
        return self.sentences[rows.start : rows.stop]


def _not_a_folder(directory: Path) -> str:
    """Why ``directory`` cannot be read, in words an operator can act on (a symlink loop is not "missing")."""
    try:
        directory.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way, later versions with ELOOP
        return f"corpus folder {directory} is a symbolic link loop (it points back to itself)"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"corpus folder {directory} is a symbolic link loop (it points back to itself)"
        return f"corpus folder not found: {directory}"
    return f"corpus folder {directory} is not a folder"


@dataclass(frozen=True)
class FilePieces:
    """What one file becomes: its document, sentences and passages (passages numbered from 0 in the file).

    The unit the saved index caches per file (see retrieval/cache.py). The pieces are kept as column
    tables over the one document, so a saved file holds a few arrays rather than
    an object per sentence, and a corpus joins them without making one.
    """

    document: Document
    sentences: SentenceTable
    passages: PassageTable


def document_files(directory: Path) -> tuple[list[Path], dict[str, dict[str, Any]], list[SkippedFile]]:
    """List the folder's documents, its metadata and the files no reader accepts.

    The folder's document files in load order (not recursive), its metadata by doc_id, and the files
    no reader accepts (named with the reason).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(_not_a_folder(directory))
    paths: list[Path] = []
    unsupported: list[SkippedFile] = []
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name in NOT_DOCUMENTS or path.name.startswith("."):
            continue
        if reader_for(path.suffix) is None:
            kind = path.suffix or "no extension"
            reason = f"unsupported kind ({kind}); accepted: {', '.join(accepted_suffixes())}"
            unsupported.append(SkippedFile(path.name, reason))
        else:
            paths.append(path)
    return paths, _read_metadata(directory / METADATA_FILE), unsupported


def read_pieces(path: Path, meta: Mapping[str, Any]) -> FilePieces:
    """Read one file through its reader and cut it; raises Unreadable with the reason when it cannot be."""
    document = read_document(path, meta)
    sentences, passages = chunk_document(document, 0)
    if not passages:
        raise Unreadable(NOTHING_QUOTABLE)
    return FilePieces(document, SentenceTable((document,), sentences), PassageTable((document,), passages))


def read_or_skip(path: Path, meta: Mapping[str, Any]) -> FilePieces | SkippedFile:
    """``read_pieces``, or the file named with the reason it was skipped (logged)."""
    try:
        return read_pieces(path, meta)
    except Unreadable as error:
        logger.warning("skipping %s: %s", path.name, error)
        return SkippedFile(path.name, str(error))


def assemble_corpus(directory: Path, label: str | None, files: Sequence[FilePieces | SkippedFile]) -> Corpus:
    """A corpus from each file's pieces in order (or why it was skipped), passages renumbered corpus-wide."""
    pieces = [file for file in files if isinstance(file, FilePieces)]
    skipped = sorted((file for file in files if isinstance(file, SkippedFile)), key=lambda file: file.name)
    return Corpus(
        root=directory,
        label=label or directory.name,
        documents=tuple(file.document for file in pieces),
        sentences=SentenceTable.join([file.sentences for file in pieces]),
        passages=PassageTable.join([file.passages for file in pieces]),
        skipped=tuple(skipped),
    )


def load_corpus(directory: Path, label: str | None = None) -> Corpus:
    """Read every document in ``directory`` (not recursive) and cut it into pieces."""
    paths, metadata, unsupported = document_files(directory)
    files = [read_or_skip(path, metadata.get(path.stem, {})) for path in paths]
    return assemble_corpus(Path(directory), label, [*files, *unsupported])


def corpus_version(documents: list[Document]) -> str:
    """A short hash of names and contents: changes whenever any document does."""
    digest = hashlib.sha256()
    for document in sorted(documents, key=lambda d: d.doc_id):
        digest.update(f"{document.path}\0{document.sha256}\0{document.title}\0{document.date}\n".encode())
    return digest.hexdigest()[:12]


def read_document(path: Path, meta: Mapping[str, Any], reader: Reader | None = None) -> Document:
    """One document read by the reader of its extension; raises Unreadable with the reason when it cannot be.

    Metadata from ``metadata.json`` wins over what the file says about itself; a document with no
    title is named by its first sentence, and one with no date gets the latest full date it mentions
    (marked as inferred).
    """
    reader = reader or reader_for(path.suffix)
    if reader is None:
        raise Unreadable(f"unsupported kind ({path.suffix or 'no extension'})")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise Unreadable(f"cannot read it ({error.strerror or error})") from None
    digest = hashlib.sha256(raw).hexdigest()
    extracted = _read_cached(reader, raw, digest)
    if not extracted.blocks:
        raise Unreadable(NOTHING_QUOTABLE)
    text, body_start = extracted.text, extracted.body_start
    meta_date = _parse_iso(meta.get("date"))
    own_date = meta_date or extracted.date
    inferred = None if own_date else latest_absolute_date(text[body_start:])
    title = str(meta.get("title") or "").strip() or (extracted.title or "").strip()
    first_block = extracted.blocks[0].start if extracted.blocks else body_start
    return Document(
        doc_id=path.stem,
        path=path.name,
        text=text,
        title=title or _first_sentence_title(text, first_block, path.stem),
        date=own_date or inferred,
        date_inferred=inferred is not None,
        body_start=body_start,
        sha256=digest,
        url=meta.get("url") or extracted.url or None,
        publisher=meta.get("publisher") or None,
        kind=reader.kind,
        author=meta.get("author") or extracted.author,
        blocks=introduce_code(extracted.blocks, text),
    )


def _read_cached(reader: Reader, raw: bytes, digest: str) -> Extracted:
    """Extract a file's text, remembered by content.

    ``reader.read(raw)``, remembered by content: a reload re-reads only what changed (a 30-page PDF takes
    seconds to extract with pypdf). Unreadable files are not remembered, so a fixed file is tried again.
    """
    key = (reader.kind, digest)
    found = _EXTRACTED.get(key)
    if found is None:
        found = reader.read(raw)
        with _EXTRACTED_LOCK:
            _EXTRACTED[key] = found
            while len(_EXTRACTED) > EXTRACTION_CACHE_SIZE:
                _EXTRACTED.pop(next(iter(_EXTRACTED)))
    return found


def _parse_iso(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        logger.warning("ignoring metadata date %r: not YYYY-MM-DD", value)
        return None


def latest_absolute_date(text: str) -> date | None:
    """The latest fully written date (day, month and year) in ``text``."""
    found: list[date] = []
    for match in _ABSOLUTE_DATES.finditer(text):
        groups = match.groupdict()
        try:
            if groups["y3"]:
                found.append(date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"])))
            else:
                month = groups["m1"] or groups["m2"]
                day = groups["d1"] or groups["d2"]
                year = groups["y1"] or groups["y2"]
                found.append(date(int(year), _MONTHS.index(month.lower()) + 1, int(day)))
        except ValueError:
            continue
    return max(found, default=None)


def _first_sentence_title(text: str, start: int, fallback: str) -> str:
    """A document without a headline is named by its first sentence, shortened."""
    rest = text[start:].lstrip()
    offset = len(text) - len(rest)
    end = offset + len(rest.split("\n", 1)[0])
    sentence = next(sentence_spans(text, offset, end), None)
    return shorten(text[sentence[0] : sentence[1]], MAX_TITLE_CHARS) if sentence else fallback


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-– ")
    return cut + "…"


def _read_metadata(path: Path) -> dict[str, dict[str, Any]]:
    """The optional ``metadata.json``: ``{doc_id: {"title", "date", "publisher", "url"}}``."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        logger.warning("ignoring %s: %s", path.name, error)
        return {}
    if not isinstance(data, dict):
        logger.warning("ignoring %s: expected an object keyed by doc_id", path.name)
        return {}
    return {str(key): value for key, value in data.items() if isinstance(value, dict)}
