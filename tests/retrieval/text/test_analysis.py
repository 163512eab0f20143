"""Text analysis: the same words become the same terms in queries and documents."""

from __future__ import annotations

import pytest

from retrieval.text.analysis import COUNTRY_US, terms, tokenize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Venezuela’s oil", "Venezuela's oil"),  # curly apostrophe, possessive
        ("the U.S. forces", "the United States forces"),
        ("the US forces", "America's forces"),
        ("On Dec. 29", "on December 29"),
        ("she wrote", "she writes"),  # irregular past
        ("ＦＵＬＬＷＩＤＴＨ", "fullwidth"),  # NFKC
    ],
)
def test_equivalent_forms_share_terms(a: str, b: str) -> None:
    assert terms(a, query=True) == terms(b, query=True)


def test_numbers_acronyms_and_hyphenated_names() -> None:
    assert terms("20,000 homes, the 30th strike, H.W. Bush, Lindsay-Poland") == [
        "20000",
        "home",
        "30th",
        "strike",
        "hw",
        "bush",
        "lindsay",
        "poland",
    ]


def test_us_pronoun_is_not_the_country_in_documents() -> None:
    assert COUNTRY_US not in terms("They told us nothing.")
    assert COUNTRY_US in terms("what did us forces do", query=True)
    assert terms("Latin America") == ["latin", "america"]


def test_stopwords_and_punctuation_leave_nothing() -> None:
    assert terms("What is the, of?! ... --") == []


def test_token_spans_point_at_the_original_text() -> None:
    text = "The U.S. and “Caracas’s” barracks"
    for token in tokenize(text):
        assert text[token.start : token.end].strip()
    assert [text[t.start : t.end] for t in tokenize(text)] == ["U.S.", "Caracas’s", "barracks"]


def test_other_scripts_tokenise_without_errors() -> None:
    assert terms("马杜罗发生了什么") and terms("¿Quién es Maduro?")[-1] == "maduro"
