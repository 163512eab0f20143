"""Names the corpus mentions (people, places, organisations), for autocomplete.

A name is a run of capitalised words that does not start a sentence ("Tren de Aragua" keeps its
lower-case particle). Ranked by how often the corpus uses it.
"""

from __future__ import annotations

import re
from collections import Counter

from retrieval.corpus.loader import Corpus
from retrieval.text.analysis import STOPWORDS

_WORD = r"(?:[A-Z][\w’'.-]*|de|del|la|los|las|of)"
_NAME = re.compile(rf"(?<![\w’']){_WORD}(?:\s+{_WORD})*")
_PARTICLES = {"de", "del", "la", "los", "las", "of", "the", "And", "But", "In", "On", "As", "At", "For"}


def corpus_names(corpus: Corpus, limit: int = 300) -> list[str]:
    """The corpus's most frequent names, most frequent first."""
    counts: Counter[str] = Counter()
    for sentence in corpus.sentences:
        for match in _NAME.finditer(sentence.text):
            words = [_bare(word) for word in match.group().split()]
            while words and (words[0].lower() in STOPWORDS or words[0] in _PARTICLES):
                words.pop(0)
            while words and (words[-1].lower() in STOPWORDS or words[-1] in _PARTICLES):
                words.pop()
            name = " ".join(words)
            if words and len(name) > 2 and not (match.start() == 0 and len(words) == 1):
                counts[name] += 1
    return [name for name, _ in counts.most_common(limit)]


def _bare(word: str) -> str:
    """Drop a possessive and a sentence's full stop, but keep an acronym's dots (U.S.)."""
    word = re.sub(r"[’']s$", "", word)
    return word if re.fullmatch(r"(?:\w\.)+", word) else word.rstrip(".")


def complete(text: str, names: list[str], limit: int = 25) -> list[str]:
    """Completions of ``text``: its last word (or the whole text) extended to a known name."""
    text = text[:95]
    head, _, last = text.rpartition(" ")
    prefix = last.lower()
    found = [name for name in names if prefix and name.lower().startswith(prefix)]
    if not found and text.strip():
        found = [name for name in names if text.strip().lower() in name.lower()]
        head = ""
    options = [f"{head} {name}".strip() for name in found]
    return list(dict.fromkeys([text.strip(), *options] if text.strip() else options))[:limit]
