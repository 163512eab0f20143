"""Highlighting stems only words whose first letter could lead to a wanted term: that must lose nothing."""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.answer.quotes import highlights
from retrieval.corpus.loader import load_corpus
from retrieval.text.analysis import IRREGULAR_FORMS, stem
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parents[2] / "data"
FOLDERS = (SEEDS, DATA / "rhine" / "corpus", DATA / "docs" / "corpus")


def test_the_stemmer_keeps_every_corpus_word_first_letter() -> None:
    words = {
        word
        for folder in FOLDERS
        for sentence in load_corpus(folder).sentences
        for word in re.findall(r"[^\W_]+", sentence.text.lower())
    }
    changed = sorted(w for w in words - IRREGULAR_FORMS if stem(w)[:1] != w[:1])
    assert len(words) > 4000 and not changed


def test_highlights_find_stems_hyphen_parts_possessives_and_irregular_forms() -> None:
    text = "The children's well-known rivers flooded; 1,200 people went home, Cologne's dykes held."
    marked = {text[a:b] for a, b in highlights(text, {stem("child"), "known", "flood", "1200", "go", "cologn"})}
    assert marked == {"children's", "well-known", "flooded", "1,200", "went", "Cologne's"}
    assert highlights(text, {"zebra"}) == ()
