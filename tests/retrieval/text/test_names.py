"""Autocomplete names: real proper names by the corpus's own capitalisation, and completions that never cut."""

from __future__ import annotations

import pytest

from retrieval.engine import Engine
from retrieval.text.names import CHOICE_LIMIT, complete, corpus_names, fold, names_in

SYNTHETIC = [
    "Never before had the council met in Villa Ñandú.",
    "The council never met again, and time ran out.",
    "Time was short when Ana María Peña spoke.",
    "They’re sure that Ana María Peña will return to Villa Ñandú.",
    "We’re told the Minister of Finance resigned.",
    "Officials said Minister Jorge Ibáñez would travel, and the minister's aide agreed.",
    "Sources Say Council Meeting Ended Without Agreement",
    "The Banco de la Nación lent money to Villa Ñandú.",
    "A report by O’Hara’s office reached Ana María Peña.",
    "Reporters met Rafael R. Ioris in Lima.",
]


@pytest.fixture(scope="module")
def seed_names(seed_engine: Engine) -> list[str]:
    return corpus_names(seed_engine.corpus)


def test_seed_names_are_real_names_with_accents(seed_names: list[str]) -> None:
    for name in ("Delcy Rodríguez", "Fuerte Tiuna", "Nicolás Maduro", "Cartel de los Soles", "Hugo Chávez"):
        assert name in seed_names
    assert "Rafael R. Ioris" in seed_names  # a middle initial does not end the sentence


def test_seed_names_hold_no_contractions_or_common_words(seed_names: list[str]) -> None:
    for junk in ("They’re", "We’re", "I’m", "Never", "Time", "People", "Children", "Caracas-based"):
        assert junk not in seed_names
    assert not [name for name in seed_names if "’re" in name or "’m" in name]
    # titles in front of a name are dropped, the name kept
    assert not [name for name in seed_names if name.startswith(("President ", "Vice President "))]


def test_synthetic_text_uses_the_texts_own_capitalisation() -> None:
    names = names_in(SYNTHETIC)
    assert {"Villa Ñandú", "Ana María Peña", "Jorge Ibáñez", "Banco de la Nación", "Lima"} <= set(names)
    assert "Rafael R. Ioris" in names
    assert "O’Hara" in names  # an apostrophe inside a name is not a contraction
    for junk in ("Never", "Time", "They’re", "We’re", "Minister", "Minister Jorge Ibáñez", "Council", "Sources"):
        assert junk not in names, junk
    assert names[0] in ("Villa Ñandú", "Ana María Peña")  # the most frequent first


def test_headlines_are_not_evidence() -> None:
    # "Council" and "Meeting" are capitalised only in a title-case line: not names.
    assert names_in(["Sources Say Council Meeting Ended Without Agreement"]) == []


def test_the_typed_text_comes_first_and_is_never_cut() -> None:
    names = ["Delcy Rodríguez", "Fuerte Tiuna", "Thelma Ray"]
    assert complete("what did Delcy Ro", names) == ["what did Delcy Ro", "what did Delcy Rodríguez"]
    assert complete("what did the", names) == ["what did the"]  # a finished common word is left alone
    assert complete("news from fuer", names) == ["news from fuer", "news from Fuerte Tiuna"]
    assert complete("rodriguez", names) == ["rodriguez", "Delcy Rodríguez"]  # accents and case folded
    assert complete("who is ", names) == ["who is"]
    long = "x" * CHOICE_LIMIT + " y"
    assert complete(long, names) == []  # Discord would cut a longer choice: offer none
    near = "q" * (CHOICE_LIMIT - 4) + " fue"
    assert complete(near, names) == [near]  # the completion would not fit: the text alone
    assert complete("", names) == names


def test_fold() -> None:
    assert fold("Rodríguez ÑANDÚ") == "rodriguez nandu"
