"""Text analysis shared by documents and queries: the same words must become the same terms.

A token keeps its span in the original text, so the renderer can bold exactly what matched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")

# Curly quotes, primes and odd apostrophes folded to ASCII so "Venezuela’s" and "Venezuela's" agree.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u00ad": "",
    }
)

# An acronym written with dots (U.S., H.W., U.S.A.), a number (20,000 or 9.5), or a word that may carry
# an apostrophe suffix and hyphenated parts. Letters are any Unicode letters, so other languages tokenise too.
_TOKEN = re.compile(
    r"(?P<acronym>(?:[^\W\d_]\.){2,})"
    r"|(?P<number>\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?)"
    r"|(?P<word>[^\W_]+(?:['’][^\W\d_]+)?(?:-[^\W_]+)*)"
)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren as at be because been before being
    below between both but by can cannot could couldn did didn do does doesn doing don down during
    each few for from further had hadn has hasn have haven having he her here hers herself him
    himself his how i if in into is isn it its itself just let me more most mustn my myself no nor
    not of off on once only or other ought our ours ourselves out over own same shan she should
    shouldn so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was wasn we were weren what when where which while who
    whom why will with won wouldn would you your yours yourself yourselves also ever anything
    something tell say said says told according whose us wo ca ll ve re s t d m
    please thanks thank hi hello hey kindly""".split()
)

# Words that frame a question rather than carry its content ("what happened to…", "explain…").
# Dropped from queries only: in documents they are ordinary words.
QUESTION_FRAMING = frozenset(
    """happen happened happens happening occur occurred occurs explain describe know think mean means
    meant anything something everything details detail info information""".split()
)

# Irregular past forms Porter/Snowball cannot reach: general English, not tied to any question.
_IRREGULAR = {
    "wrote": "write",
    "written": "write",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "came": "come",
    "made": "make",
    "found": "find",
    "thought": "think",
    "brought": "bring",
    "began": "begin",
    "begun": "begin",
    "fell": "fall",
    "fallen": "fall",
    "flew": "fly",
    "flown": "fly",
    "held": "hold",
    "kept": "keep",
    "left": "leave",
    "led": "lead",
    "met": "meet",
    "paid": "pay",
    "ran": "run",
    "saw": "see",
    "seen": "see",
    "sent": "send",
    "spoke": "speak",
    "spoken": "speak",
    "stood": "stand",
    "knew": "know",
    "known": "know",
    "got": "get",
    "gotten": "get",
    "bought": "buy",
    "caught": "catch",
    "chose": "choose",
    "chosen": "choose",
    "drove": "drive",
    "driven": "drive",
    "fought": "fight",
    "grew": "grow",
    "grown": "grow",
    "hid": "hide",
    "hidden": "hide",
    "lost": "lose",
    "rose": "rise",
    "risen": "rise",
    "sold": "sell",
    "shot": "shoot",
    "sought": "seek",
    "struck": "strike",
    "stricken": "strike",
    "swore": "swear",
    "sworn": "swear",
    "taught": "teach",
    "threw": "throw",
    "thrown": "throw",
    "understood": "understand",
    "woke": "wake",
    "dead": "die",
    "died": "die",
    "dying": "die",
    "deaths": "death",
    "children": "child",
    "men": "man",
    "women": "woman",
}
# The words ``stem`` maps through that table; the stemmer alone keeps every word's first letter.
IRREGULAR_FORMS = frozenset(_IRREGULAR)

_MONTH_ABBREVIATIONS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}

# The one alias family the product needs in general: names of the United States.
COUNTRY_US = "united_states"
_US_FORMS = {"us", "usa"}
_US_REGION_PREFIX = {"latin", "south", "central", "north"}


@dataclass(frozen=True, slots=True)
class Token:
    """A term and the span of text it came from."""

    term: str
    start: int
    end: int


def fold(text: str) -> str:
    """NFKC plus ASCII quotes and dashes: the canonical form for comparing text."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one lower-case word, mapping irregular forms first."""
    word = _IRREGULAR.get(word, word)
    return _STEMMER.stemWord(word)


def _word_terms(surface: str, *, query: bool, previous: str) -> list[str]:
    """Terms for one word token: possessives dropped, hyphenated names split, aliases applied."""
    lowered = surface.lower().replace("’", "'")
    base, _, suffix = lowered.partition("'")
    if suffix == "t" and base.endswith("n"):  # didn't -> did, isn't -> is
        base = base[:-1]
    if base in _US_FORMS and (query or surface[:2].isupper()):
        return [COUNTRY_US]
    if base == "america" and previous not in _US_REGION_PREFIX:
        return [COUNTRY_US]
    return [part for part in base.split("-") if part]


def tokenize(text: str, *, query: bool = False) -> list[Token]:
    """Split text into analysed tokens (stopwords removed), keeping spans into ``text``.

    ``query`` reads a bare lower-case "us" as the country, as people type it; in documents only the
    capitalised "US" is the country and "us" stays a pronoun.
    """
    tokens: list[Token] = []
    previous, previous_start = "", 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        surface = match.group()
        lowered = surface.lower()
        if match.lastgroup == "acronym":
            letters = lowered.replace(".", "")
            found = [COUNTRY_US] if letters in _US_FORMS else [letters]
        elif match.lastgroup == "number":
            found = [re.sub(r"(?<=\d),(?=\d)", "", lowered)]
        elif lowered in _MONTH_ABBREVIATIONS and text[end : end + 1] == ".":
            found = [_MONTH_ABBREVIATIONS[lowered]]
        elif lowered in ("states", "state") and previous == "united" and tokens:
            tokens.pop()  # "United States" is one name, not two words
            start, found = previous_start, [COUNTRY_US]
        else:
            found = _word_terms(surface, query=query, previous=previous)
        for term in found:
            if term == COUNTRY_US or term[0].isdigit():
                tokens.append(Token(term, start, end))
            elif term not in STOPWORDS and not (query and term in QUESTION_FRAMING):
                tokens.append(Token(stem(term), start, end))
        previous, previous_start = lowered, start
    return tokens


def terms(text: str, *, query: bool = False) -> list[str]:
    """The analysed terms of ``text``, in order, repeats kept (BM25 counts them)."""
    return [token.term for token in tokenize(fold_for_tokens(text), query=query)]


def fold_for_tokens(text: str) -> str:
    """Fold without changing length, so token spans still index the original text."""
    folded = fold(text)
    return folded if len(folded) == len(text) else text
