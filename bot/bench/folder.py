"""A real-looking news folder for start-up and build measurements: `python -m bot.bench.folder DIR`.

The synthetic corpus of `bot/bench/corpus.py` skips reading and sentence splitting, which is what a
cold start pays for; timing start-up needs files the real readers and pySBD go through. So this writes
plain-text news articles (the seeds' layout: a ``date YYYY-MM-DD`` line, a headline, paragraphs) made
from real English sentences — the bundled seeds' and the Rhine article's, cut by the corpus's own
sentence splitter — recombined so that 50,000 sentences are not 400 sentences repeated:

- a sentence is sometimes spliced with another one at a comma (the first's head, the second's tail);
- capitalised words inside a sentence (names, places) are replaced by pseudo-names drawn from a Zipf
  law, and numbers by other numbers, so the vocabulary grows with the folder as a news archive's does.

Everything is seeded, so a folder is the same on every machine; ``--one-file-mb`` writes a single
large document instead (the 4 MB case of issue 13).
"""

from __future__ import annotations

import argparse
import logging
import random
import re
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from bot.settings import bundled_corpus_dir
from retrieval.corpus.chunking import paragraph_spans, sentence_spans

logger = logging.getLogger(__name__)

RHINE = Path(__file__).resolve().parents[2] / "tests" / "data" / "rhine" / "corpus"
NAME_POOL = 20_000
NAME_ZIPF = 1.05
SPLICE_SHARE = 0.3
NAME_SHARE = 0.6  # share of inner capitalised words replaced by a pseudo-name
SENTENCES_PER_PARAGRAPH = (1, 4)
FIRST_DATE = date(2024, 1, 1)

_INNER_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "ia")]
_ENDINGS = ("", "", "n", "r", "s", "ton", "ville", "berg", "ez", "ov", "ski", "land")


def source_sentences(folders: list[Path]) -> list[str]:
    """Every sentence of the folders' text files, one line each (Markdown headings and tables left out)."""
    sentences: list[str] = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix not in {".txt", ".md"}:
                continue
            text = path.read_text(encoding="utf-8")
            for start, end in paragraph_spans(text):
                if text[start] in "#|" or text[start:end].startswith("date "):
                    continue
                sentences.extend(" ".join(text[a:b].split()) for a, b in sentence_spans(text, start, end))
    return [s for s in sentences if len(s) >= 25 and s[-1] in ".!?\"”'’"]


def _pseudo_names(rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < NAME_POOL:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(_ENDINGS)
        names.add(word.capitalize())
    ordered = sorted(names)
    rng.shuffle(ordered)  # the most frequent names are any names, not the alphabet's first
    return ordered


class NewsWriter:
    """Writes articles from recombined real sentences (see the module docstring)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.sentences = source_sentences([bundled_corpus_dir(), RHINE])
        if not self.sentences:
            raise RuntimeError("no source sentences found in the seeds and the Rhine article")
        self.names = _pseudo_names(self.rng)
        self.name_weights = list(accumulate(1 / (rank + 1) ** NAME_ZIPF for rank in range(NAME_POOL)))

    def sentence(self) -> str:
        """One recombined sentence."""
        rng = self.rng
        text = rng.choice(self.sentences)
        if rng.random() < SPLICE_SHARE:
            other = rng.choice(self.sentences)
            head, tail = text.find(", "), other.find(", ")
            if head > 0 and tail > 0:
                text = text[: head + 2] + other[tail + 2 :]
        text = _INNER_CAPITAL.sub(self._name, text)
        return _NUMBER.sub(lambda m: self._number(m.group()), text)

    def _name(self, match: re.Match[str]) -> str:
        if self.rng.random() >= NAME_SHARE:
            return match.group()
        return self.rng.choices(self.names, cum_weights=self.name_weights)[0]

    def _number(self, number: str) -> str:
        if len(number) == 4 and number.isdigit() and number[:2] in {"19", "20"}:
            return str(self.rng.randint(1950, 2025))  # a year stays a year
        digits = sum(c.isdigit() for c in number)
        return str(self.rng.randint(1, 10**digits - 1))

    def article(self, number: int, sentences: int) -> str:
        """One article: date line, headline, then paragraphs holding ``sentences`` sentences in all."""
        day = FIRST_DATE + timedelta(days=number % 700)
        headline = self.sentence().rstrip(".!?\"”'’")
        paragraphs: list[str] = []
        left = sentences
        while left > 0:
            count = min(left, self.rng.randint(*SENTENCES_PER_PARAGRAPH))
            paragraphs.append(" ".join(self.sentence() for _ in range(count)))
            left -= count
        return f"date {day.isoformat()}\n\n{headline}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_folder(target: Path, files: int = 200, sentences: int = 50_000, seed: int = 0) -> Path:
    """Write ``files`` articles holding about ``sentences`` sentences in all (lengths vary ±50 %)."""
    target.mkdir(parents=True, exist_ok=True)
    writer = NewsWriter(seed)
    mean = max(1, sentences // files)
    for number in range(files):
        count = writer.rng.randint(max(1, mean // 2), mean + mean // 2)
        (target / f"{number:04d}_news.txt").write_text(writer.article(number, count), encoding="utf-8")
    return target


def write_one_file(target: Path, megabytes: float, seed: int = 0) -> Path:
    """Write one article of about ``megabytes`` MB into ``target`` (a single large document)."""
    target.mkdir(parents=True, exist_ok=True)
    writer = NewsWriter(seed)
    chunks: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        chunk = writer.article(len(chunks), 200)
        chunks.append(chunk if not chunks else chunk.split("\n\n", 2)[2])  # one date line and headline
        size += len(chunks[-1].encode()) + 1
    (target / "large.txt").write_text("\n".join(chunks), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> None:
    """`python -m bot.bench.folder DIR [--files N] [--sentences N] [--seed N] [--one-file-mb MB]`."""
    parser = argparse.ArgumentParser(prog="python -m bot.bench.folder", description=__doc__.split("\n")[0])
    parser.add_argument("target", type=Path, help="folder to write (created; existing files are overwritten)")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=50_000, help="about this many sentences in all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one-file-mb", type=float, help="write one document of this size instead")
    args = parser.parse_args(argv)
    if args.one_file_mb:
        write_one_file(args.target, args.one_file_mb, args.seed)
    else:
        write_folder(args.target, args.files, args.sentences, args.seed)
    print(f"wrote {args.target}")


if __name__ == "__main__":
    main()
