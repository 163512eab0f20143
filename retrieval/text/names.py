"""Proper names the corpus mentions (people, places, organisations), for autocomplete.

A word counts as part of a name by how the corpus itself writes it, not by a list of names:

- a capitalised word that also appears in lower case more often than capitalised mid-sentence is a
  common word ("Never", "Time", "President"); capitals at the start of a sentence, after a colon or
  an opening quote, and in title-case headlines are not evidence either way;
- contractions ("They’re", "I’m") are never names; a possessive "’s" is dropped;
- a run of capitalised words may hold lower-case name particles ("Cartel de los Soles",
  "University of Panama") and keeps its accents ("Delcy Rodríguez");
- a run led by common words keeps the name after them when at least two words remain
  ("Vice President Delcy Rodríguez" gives "Delcy Rodríguez"; "New York" stays whole).

Names are ranked by how often the corpus uses them.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from retrieval.corpus.loader import Corpus
from retrieval.text.analysis import STOPWORDS

logger = logging.getLogger(__name__)

CHOICE_LIMIT = 100  # Discord's limit on an autocomplete choice; longer texts are never cut, just not offered
# Lower-case particles that sit inside names in English, Spanish, Portuguese, French, Dutch and German.
PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van", "von", "der", "of"}
)
_WORD = re.compile(r"[^\W\d_](?:[\w’'\-]|\.(?=\w))*\.?")
_ACRONYM = re.compile(r"(?:\w\.){2,}")
_INITIAL = re.compile(r"[^\W\d_]\.")  # a middle initial ("Rafael R. Ioris") does not end the sentence
_CONTRACTION = re.compile(r"(?:[’'](?:re|m|ll|ve|d|t)|n[’']t)$", re.IGNORECASE)
_OPENERS = re.compile(r"[.!?:;“\"‘(\[—–\n]")
_HEADLINE_MIN_WORDS = 3
_HEADLINE_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # possessive and sentence full stop removed
    initial: bool  # capitalised by position: sentence start, after a colon or an opening quote
    joined: bool  # only spaces separate it from the previous word (a name can continue)


def _bare(word: str) -> str:
    """Drop a possessive and a sentence's full stop, but keep an acronym's dots (U.S.)."""
    word = re.sub(r"[’']s$", "", word)
    return word if _ACRONYM.fullmatch(word) or _INITIAL.fullmatch(word) else word.rstrip(".")


def _tokens(text: str) -> Iterator[_Token]:
    end, previous_stop = 0, False
    for match in _WORD.finditer(text):
        gap = text[end : match.start()]
        word = match.group()
        yield _Token(
            text=_bare(word),
            initial=end == 0 or previous_stop or bool(_OPENERS.search(gap)),
            joined=end > 0 and not previous_stop and not gap.strip(),
        )
        previous_stop = word.endswith(".") and not (_ACRONYM.fullmatch(word) or _INITIAL.fullmatch(word))
        end = match.end()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _headline(text: str, tokens: list[_Token]) -> bool:
    """Whether a line is a title-case headline, whose capitals say nothing about which words are names.

    Title Case Lines Capitalise Common Words. A headline has no closing full stop; a sentence full of
    names has one.
    """
    if text.rstrip().endswith((".", "!", "?", "”", '"', ":")):
        return False
    long = [t.text for t in tokens if len(t.text) > 3]
    return len(long) >= _HEADLINE_MIN_WORDS and sum(map(_capitalised, long)) >= _HEADLINE_SHARE * len(long)


def _name_word(word: str) -> bool:
    """Capitalised, not a contraction, not a hyphenated adjective such as "Caracas-based"."""
    return _capitalised(word) and not _CONTRACTION.search(word) and not word.rsplit("-", 1)[-1][:1].islower()


class _Evidence:
    """How the corpus writes each word: lower case vs capitalised where position does not force it."""

    def __init__(self, sentences: Iterable[list[_Token]]) -> None:
        self.lower: Counter[str] = Counter()
        self.capital: Counter[str] = Counter()
        for tokens in sentences:
            for token in tokens:
                if token.text[:1].islower():
                    self.lower[token.text.casefold()] += 1
                elif not token.initial:
                    self.capital[token.text.casefold()] += 1

    def common(self, word: str) -> bool:
        """Mostly written in lower case: a capital on it says nothing."""
        folded = word.casefold()
        return folded in STOPWORDS or self.lower[folded] > self.capital[folded]

    def ever_lower(self, word: str) -> bool:
        """Written in lower case at least once: a title or a common noun leading a name ("President")."""
        folded = word.casefold()
        return folded in STOPWORDS or self.lower[folded] > 0


def _runs(tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Maximal runs of name words, particles allowed inside, broken by punctuation."""
    run: list[_Token] = []
    for token in tokens:
        if run and token.joined and (_name_word(token.text) or token.text in PARTICLES):
            run.append(token)
            continue
        yield from _trimmed(run)
        run = [token] if _name_word(token.text) else []
    yield from _trimmed(run)


def _trimmed(run: list[_Token]) -> Iterator[list[_Token]]:
    while run and run[-1].text in PARTICLES:
        run = run[:-1]
    if run:
        yield run


def _name(run: list[_Token], evidence: _Evidence) -> str | None:
    """The proper name in a run of capitalised words, or None when it holds only common words."""
    words = [token.text for token in run]
    if run[0].initial and evidence.common(words[0]):
        words = words[1:]  # capitalised only because it starts the sentence
    while words and words[0] in PARTICLES:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1:
        alone_initial = run[0].initial and len(run) == 1
        word = words[0]
        letters = sum(char.isalpha() for char in word)
        return None if alone_initial or evidence.common(word) or letters < 2 else word
    kept = [w for w in words if w not in PARTICLES]
    if all(evidence.common(word) for word in kept):
        return None
    leading = [i for i, word in enumerate(words) if word not in PARTICLES and evidence.ever_lower(word)]
    if leading:
        suffix = words[leading[-1] + 1 :]
        if sum(word not in PARTICLES for word in suffix) >= 2:
            words = suffix
    return " ".join(words)


def corpus_names(corpus: Corpus, limit: int = 300) -> list[str]:
    """The corpus's most frequent proper names, most frequent first."""
    return names_in((sentence.text for sentence in corpus.sentences), limit)


def names_in(texts: Iterable[str], limit: int = 300) -> list[str]:
    """Proper names in sentences of running text, most frequent first (see the module docstring)."""
    parsed = ((text, list(_tokens(text))) for text in texts)
    sentences = [tokens for text, tokens in parsed if not _headline(text, tokens)]
    evidence = _Evidence(sentences)
    counts: Counter[str] = Counter()
    for tokens in sentences:
        for run in _runs(tokens):
            name = _name(run, evidence)
            if name is not None:
                counts[name] += 1
    logger.debug("found %d distinct names", len(counts))
    return [name for name, _ in counts.most_common(limit)]


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "rodriguez" finds "Rodríguez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _matches(prefix: str, name: str) -> bool:
    """The prefix starts the name or one of its later words ("rodr" → "Delcy Rodríguez")."""
    words = fold(name).split()
    return any(" ".join(words[i:]).startswith(prefix) for i in range(len(words)))


def complete(text: str, names: list[str], limit: int = 25) -> list[str]:
    """Autocomplete suggestions for what the user typed, the typed text itself always first and untouched.

    Then come the text with its last words (as many as start a name) completed to a known name. Nothing
    longer than a choice may hold is offered, so the user's text is never cut; an empty text gets the most
    frequent names.
    """
    typed = text.strip()
    if not typed:
        return names[:limit]
    if len(typed) > CHOICE_LIMIT:
        return []
    options = [typed]
    if not text[-1].isspace():
        spans = [match.span() for match in re.finditer(r"\S+", typed)]
        for count in (3, 2, 1):
            if len(spans) < count:
                continue
            start = spans[-count][0]
            prefix = typed[start:]
            if count == 1 and prefix.casefold() in STOPWORDS and not _capitalised(prefix):
                continue  # "what did the" is a finished word, not the start of "Thelma"
            found = [name for name in names if _matches(fold(prefix), name)]
            options += [typed[:start] + name for name in found]
            if found:
                break  # the longest typed phrase that starts a name decides
    options = [option for option in options if len(option) <= CHOICE_LIMIT]
    return list(dict.fromkeys(options))[:limit]
