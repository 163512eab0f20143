"""Typo tolerance and language detection for questions, against the corpus's own vocabulary.

A question word the corpus never uses ("Madruo", "Colonge"), whose analysed term the index does not
know either, and that is not a common English word (``is_common``: "caught" is a word, not a typo of
"taught") is replaced by the nearest word the corpus does use: within one edit for words of 5–7
letters, two edits from 8 letters (rapidfuzz's Damerau-Levenshtein distance, where swapping two
letters is one edit); ties go to the word the corpus uses most. Shorter words and numbers are left
alone: at 4 letters one edit reaches too many real words. The answer then says "Showing results for …".

A question is "in another language" when most of its letters are outside the Latin script, or when it
shows positive evidence of another Latin-script language — its function words (Spanish, French, German,
Portuguese, Italian, Dutch: "qué", "la", "der", "est", …) or inverted marks (¿ ¡) outnumber its English
function words — and most of its words are unknown to the corpus. Missing English words alone are no
evidence: SQL, code or a list of names is not "another language". Only then does an abstention say that
the corpus is written in English, and no word of such a question is "corrected" into English.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from retrieval.text.analysis import STOPWORDS, fold_for_tokens, tokenize

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ENGLISH_FUNCTION = STOPWORDS | frozenset("what when where who why how which is are was were the a an".split())
# Frequent function words of other Latin-script languages that are not English words.
_OTHER_FUNCTION = frozenset(
    """qué que cuál cuándo dónde quién cómo por para con los las del el la una uno es está están fue son
    en y pero también sobre hay muy más esto esta este eso ese
    quoi quel quelle quand où qui comment pourquoi les des est sont dans avec pour une sur pas du au aux et
    was wer wann wo wie warum der die das ist sind mit von und nicht ein eine den dem des zu auf für
    quem quando onde porque não uma com para os dos das foi são
    cosa chi quando dove perché il lo gli della delle sono è con per non
    wat wie wanneer waar waarom het een zijn niet met voor van""".split()
) - frozenset("is on in a as at to do no die so".split())
MIN_LENGTH = 5
LONG_WORD = 8


def _is_latin(character: str) -> bool:
    return character.isascii() or "\u00c0" <= character <= "\u024f"


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each word (lower case) occurs in ``texts``: what a Speller knows.

    Counted once per file when it is read (the saved index keeps the counts), so a start adds up
    counts instead of scanning every sentence again. One scan of the texts joined by line breaks
    finds the same words as one scan per text (no word spans a line break).
    """
    return Counter(map(str.lower, _WORD.findall("\n".join(texts))))


class Speller:
    """The corpus's words (lower case) and how often it uses them."""

    def __init__(
        self,
        texts: Iterable[str],
        knows_term: Callable[[str], bool],
        is_common: Callable[[str], bool],
        counts: Mapping[str, int] | None = None,
    ):
        """``counts``: the texts' `word_counts` when already known (then ``texts`` is not read)."""
        self._knows_term = knows_term
        self._is_common = is_common
        self.frequency = Counter(counts) if counts is not None else word_counts(texts)
        self._choices = [word for word in self.frequency if len(word) >= MIN_LENGTH - 1]

    def knows(self, word: str) -> bool:
        """Whether the corpus ever writes ``word`` (any case): such a word is never a typo to correct."""
        return word.lower() in self.frequency

    def foreign(self, text: str) -> bool:
        """True when the question is written in a language other than English (see module docstring)."""
        letters = [c for c in text if c.isalpha()]
        if letters and sum(not _is_latin(c) for c in letters) * 2 > len(letters):
            return True
        words = [w.lower() for w in _WORD.findall(text)]
        if len(words) < 2:
            return False
        english = sum(w in _ENGLISH_FUNCTION for w in words)
        other = sum(w in _OTHER_FUNCTION for w in words) + ("¿" in text or "¡" in text)
        unknown = sum(not self.knows(w) for w in words)
        return other > english and unknown * 2 >= len(words)

    def correct(self, text: str) -> str | None:
        """The question with unknown words replaced by their nearest corpus word, or None if unchanged."""
        pieces: list[str] = []
        cursor, changed = 0, False
        for match in _WORD.finditer(text):
            word = match.group()
            replacement = self._nearest(word)
            if replacement is None:
                continue
            pieces.append(text[cursor : match.start()])
            pieces.append(_same_case(word, replacement))
            cursor, changed = match.end(), True
        if not changed:
            return None
        pieces.append(text[cursor:])
        return "".join(pieces)

    def _nearest(self, word: str) -> str | None:
        lowered = word.lower()
        if len(lowered) < MIN_LENGTH or lowered in self.frequency or lowered in STOPWORDS:
            return None
        terms = [t.term for t in tokenize(fold_for_tokens(word), query=True)]
        if not terms or all(map(self._knows_term, terms)) or self._is_common(lowered):
            return None  # a framing word, another form of a corpus word, or a real English word
        limit = 2 if len(lowered) >= LONG_WORD else 1
        scorer = DamerauLevenshtein.distance
        found = process.extract(lowered, self._choices, scorer=scorer, score_cutoff=limit, limit=None)
        if not found:
            return None
        best = min(found, key=lambda item: (item[1], -self.frequency[item[0]], item[0]))
        logger.debug("correcting %r to %r", word, best[0])
        return best[0]


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
