"""Loading a corpus folder: documents, their dates and titles, and their pieces.

A corpus is whatever `*.txt` / `*.md` files a community drops in a folder, so loading is forgiving:
a file it cannot read is skipped with a warning, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from retrieval.corpus.chunking import chunk_document, sentence_spans
from retrieval.models import Document, Passage, Sentence

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt", ".md")
METADATA_FILE = "metadata.json"
MAX_TITLE_CHARS = 90

_DATE_LINE = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
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
    sentences: tuple[Sentence, ...]
    passages: tuple[Passage, ...]
    skipped: tuple[str, ...] = ()
    version: str = field(init=False)
    _by_id: Mapping[str, Document] = field(init=False, repr=False)
    _sentences_by_doc: Mapping[str, tuple[Sentence, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_doc: dict[str, list[Sentence]] = {}
        for sentence in self.sentences:
            by_doc.setdefault(sentence.doc_id, []).append(sentence)
        object.__setattr__(self, "version", corpus_version(list(self.documents)))
        object.__setattr__(self, "_by_id", {d.doc_id: d for d in self.documents})
        object.__setattr__(self, "_sentences_by_doc", {k: tuple(v) for k, v in by_doc.items()})

    def document(self, doc_id: str) -> Document:
        return self._by_id[doc_id]

    def sentences_of(self, doc_id: str) -> tuple[Sentence, ...]:
        """The document's sentences; ``Sentence.index`` indexes this tuple."""
        return self._sentences_by_doc.get(doc_id, ())


@dataclass(frozen=True)
class FilePieces:
    """What one file becomes: its document, sentences and passages (passages numbered from 0 in the file).

    The unit the saved index caches per file (see retrieval/cache.py).
    """

    document: Document
    sentences: list[Sentence]
    passages: list[Passage]


def document_files(directory: Path) -> tuple[list[Path], dict[str, dict[str, Any]]]:
    """The folder's document files in load order (not recursive), and its metadata by doc_id."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {directory}")
    paths = [p for p in sorted(directory.iterdir()) if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]
    return paths, _read_metadata(directory / METADATA_FILE)


def read_pieces(path: Path, meta: Mapping[str, Any]) -> FilePieces | None:
    """Read and cut one file; None (with a warning) when it cannot be read."""
    document = read_document(path, meta)
    if document is None:
        return None
    sentences, passages = chunk_document(document, 0)
    return FilePieces(document, sentences, passages)


def assemble_corpus(directory: Path, label: str | None, files: list[tuple[str, FilePieces | None]]) -> Corpus:
    """A corpus from each file's pieces in order (None: skipped), passages renumbered corpus-wide."""
    documents: list[Document] = []
    sentences: list[Sentence] = []
    passages: list[Passage] = []
    skipped: list[str] = []
    for name, pieces in files:
        if pieces is None:
            skipped.append(name)
            continue
        documents.append(pieces.document)
        sentences.extend(pieces.sentences)
        offset = len(passages)
        passages.extend(_renumbered(p, p.index + offset) if offset else p for p in pieces.passages)
    return Corpus(
        root=directory,
        label=label or directory.name,
        documents=tuple(documents),
        sentences=tuple(sentences),
        passages=tuple(passages),
        skipped=tuple(skipped),
    )


_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage) if f.init)


def _renumbered(passage: Passage, index: int) -> Passage:
    """``replace(passage, index=index)`` at a tenth of the cost (it looks the fields up on every call)."""
    values = {name: getattr(passage, name) for name in _PASSAGE_FIELDS}
    values["index"] = index
    return Passage(**values)


def load_corpus(directory: Path, label: str | None = None) -> Corpus:
    """Read every document in ``directory`` (not recursive) and cut it into pieces."""
    paths, metadata = document_files(directory)
    files = [(path.name, read_pieces(path, metadata.get(path.stem, {}))) for path in paths]
    return assemble_corpus(Path(directory), label, files)


def corpus_version(documents: list[Document]) -> str:
    """A short hash of names and contents: changes whenever any document does."""
    digest = hashlib.sha256()
    for document in sorted(documents, key=lambda d: d.doc_id):
        digest.update(f"{document.path}\0{document.sha256}\0{document.title}\0{document.date}\n".encode())
    return digest.hexdigest()[:12]


def read_document(path: Path, meta: Mapping[str, Any]) -> Document | None:
    """One document, or None (with a warning) when the file is empty, binary or undecodable."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        logger.warning("skipping %s: cannot read it (%s)", path.name, error)
        return None
    if b"\0" in raw:
        logger.warning("skipping %s: it looks binary", path.name)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.warning("skipping %s: it is not UTF-8 text", path.name)
        return None
    if not text.strip():
        logger.warning("skipping %s: it is empty", path.name)
        return None
    body_start, line_date = _date_line(text)
    if not text[body_start:].strip():
        logger.warning("skipping %s: it holds only a date line", path.name)
        return None
    meta_date = _parse_iso(meta.get("date"))
    inferred = None if (meta_date or line_date) else latest_absolute_date(text[body_start:])
    headline_end = _headline_end(text, body_start)
    title = str(meta.get("title") or "").strip()
    if not title and headline_end:
        title = text[body_start:headline_end].strip()
    return Document(
        doc_id=path.stem,
        path=path.name,
        text=text,
        title=title or _first_sentence_title(text, body_start, path.stem),
        date=meta_date or line_date or inferred,
        date_inferred=inferred is not None,
        body_start=headline_end or body_start,
        sha256=hashlib.sha256(raw).hexdigest(),
        url=meta.get("url") or None,
        publisher=meta.get("publisher") or None,
    )


def _date_line(text: str) -> tuple[int, date | None]:
    match = _DATE_LINE.match(text)
    if not match:
        return 0, None
    try:
        return match.end(), date(*map(int, match.groups()))
    except ValueError:
        return 0, None


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


def _headline_end(text: str, start: int) -> int:
    """End of a headline line opening the body, or 0 when there is none.

    A headline is a short first line without closing punctuation, followed by more text. It becomes
    the document's title and is not quoted as an answer (it is a label, not a statement).
    """
    line_end = text.find("\n", start)
    if line_end < 0:
        return 0
    line = text[start:line_end].strip()
    if not line or len(line) > MAX_TITLE_CHARS or line.endswith((".", "?", "!", ":", "\u201d", '"')):
        return 0
    return line_end if text[line_end:].strip() else 0


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
