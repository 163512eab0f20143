from __future__ import annotations

from collections import Counter

from retrieval.answer.spelling import _WORD, Speller, word_counts

TEXTS = ["Madrid's mayor met the İstanbul delegation.", "The MAYOR of Cologne—and Köln's—spoke.", "", "mayor"]


def test_word_counts_match_counting_text_by_text() -> None:
    expected: Counter[str] = Counter()
    for text in TEXTS:
        expected.update(word.lower() for word in _WORD.findall(text))
    assert word_counts(TEXTS) == expected
    assert word_counts(TEXTS)["mayor"] == 3


def test_a_speller_from_saved_counts_corrects_like_one_that_scans_the_texts() -> None:
    def knows(term: str) -> bool:
        return False

    def common(word: str) -> bool:
        return False

    scanned = Speller(TEXTS, knows, common)
    counted = Speller((), knows, common, counts=word_counts(TEXTS))
    assert counted.frequency == scanned.frequency
    assert (
        counted.correct("the Colonge delegation")
        == scanned.correct("the Colonge delegation")
        == "the Cologne delegation"
    )
