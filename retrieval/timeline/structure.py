"""What each line of a document is, for the timeline: prose, a label, metadata, or an entry under a release.

A date in a heading ("1989 Panama Invasion") or a book title names something, it does not report that it
happened; a date in a citation or a metadata line (``year = "2020",``, ``date: 2020-10-28``, ``© 2020``)
describes the document. Neither is an event. A changelog heading that is only a version and a date
("## 1.2.0 – 2025-03-01", "## [1.2.0] - 2025-03-01") dates every entry beneath it instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from retrieval.models import Document, Sentence

logger = logging.getLogger(__name__)

__all__ = ["Layout", "Role", "in_title", "read_layout"]

Role = Literal["prose", "label", "skip"]

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_FRONT_MATTER = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# Metadata and citations: `year = "2020",`, `"year": 2020`, `date: 2020-10-28`, `@article{key,`, `© 2020 Acme`,
# and reference-list entries "Smith, J. (2020). Title." / "Smith, J., & Doe, A. (2020)".
_METADATA = (
    re.compile(r"^\s*[A-Za-z_][\w.-]*\s*=\s*\S"),
    re.compile(r"""^\s*["']?[a-z_][\w-]*["']?\s*:\s*(?:["'{\[]|\d)"""),
    re.compile(r"^\s*@\w+\s*[{(]"),
    re.compile(r"(?i)^\W*(?:copyright\b|\(c\)|©)"),
    re.compile(r"^\W*[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s*)+[^()]{0,200}\(\d{4}[a-z]?\)"),
)
# Sections that list sources or terms rather than report anything.
_REFERENCE_SECTION = re.compile(
    r"(?i)^\W*(?:references?|bibliography|citations?|cite|citing|how\s+to\s+cite|works\s+cited|licen[cs]e)\b"
)
# What a release heading may hold besides its date: a version, link syntax, "Version", "Release", separators.
_RELEASE_NOISE = re.compile(
    r"(?i)\[|\]|\([^)]*://[^)]*\)|\bv?\d+(?:\.\d+)+(?:[-+.][\w.]+)?\b|\b(?:version|release[ds]?|on)\b|[-–—:|(),/·•]"
)
# A plain-text label: short, without closing punctuation, mostly capitalised words ("1989 Panama Invasion").
_MAX_LABEL_WORDS = 12
_LABEL_CAPITALISED = 0.6
_CONNECTORS = frozenset("a an and at by for in of on or the to vs with".split())
_TITLE_NOUNS = frozenset(
    "book books novel memoir film films movie documentary album song play report paper essay article series "
    "podcast episode show titled entitled called".split()
)
_QUOTES = {"“": "”", '"': '"', "*": "*", "_": "_", "«": "»"}
_WORD = re.compile(r"[^\W_][\w'’.-]*")


@dataclass(frozen=True, slots=True)
class Layout:
    """Per 1-based line of a document: its role, and the release heading's text that dates it, if any."""

    roles: dict[int, Role]
    release: dict[int, str]

    def role(self, line: int) -> Role:
        """What ``line`` is; a line the layout did not mark is prose, so it may tell an event."""
        return self.roles.get(line, "prose")


def _heading_lines(lines: Sequence[str], skipped: set[int]) -> dict[int, tuple[int, str]]:
    """Markdown headings, ATX ("## Title") and setext (a line underlined by === or ---): line -> (level, text)."""
    found: dict[int, tuple[int, str]] = {}
    for number, line in enumerate(lines, 1):
        if number in skipped:
            continue
        atx = _ATX.match(line)
        if atx:
            found[number] = (len(atx.group(1)), atx.group(2))
            continue
        underline = _SETEXT.match(line)
        above = lines[number - 2] if number > 1 else ""
        if underline and number > 1 and above.strip() and (number - 1) not in found and not _METADATA[0].match(above):
            found[number - 1] = (1 if underline.group(1)[0] == "=" else 2, above.strip())
            skipped.add(number)
    return found


def _code_and_front_matter(lines: Sequence[str]) -> set[int]:
    """Lines of fenced code blocks and of a YAML front matter block: never prose."""
    skipped: set[int] = set()
    fence: str | None = None
    in_front = bool(lines) and bool(_FRONT_MATTER.match(lines[0]))
    for number, line in enumerate(lines, 1):
        if in_front:
            skipped.add(number)
            if number > 1 and _FRONT_MATTER_END.match(line):
                in_front = False
            continue
        opener = _FENCE.match(line)
        if fence is not None or opener:
            skipped.add(number)
            if fence is None and opener:
                fence = opener.group(1)
            elif fence is not None and line.strip().startswith(fence):
                fence = None
    return skipped


def _is_release(text: str, date_spans: Callable[[str], Sequence[tuple[int, int]]]) -> bool:
    """Whether a heading holds a date and, besides it, only a version, link syntax and separators."""
    spans = date_spans(text)
    if not spans:
        return False
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return not _RELEASE_NOISE.sub(" ", "".join(chars)).strip()


def read_layout(document: Document, date_spans: Callable[[str], Sequence[tuple[int, int]]]) -> Layout:
    """Roles and release dates of the document's lines.

    ``date_spans`` finds the date expressions of a heading's text: the caller owns the grammar, this
    module only knows where headings, code, metadata and reference sections are.
    """
    lines = document.text.split("\n")
    skipped = _code_and_front_matter(lines)
    headings = _heading_lines(lines, skipped)
    roles: dict[int, Role] = dict.fromkeys(skipped, "skip")
    release: dict[int, str] = {}
    # A stack of (level, release text or None, reference section?) for the headings enclosing each line.
    stack: list[tuple[int, str | None, bool]] = []
    for number, line in enumerate(lines, 1):
        if number in headings:
            level, text = headings[number]
            while stack and stack[-1][0] >= level:
                stack.pop()
            dated = text if _is_release(text, date_spans) else None
            stack.append((level, dated, bool(_REFERENCE_SECTION.match(text))))
            roles[number] = "label"
            continue
        if number in skipped:
            continue
        if any(reference for _, _, reference in stack) or any(p.match(line) for p in _METADATA):
            roles[number] = "skip"
            continue
        dated_by = next((text for _, text, _ in reversed(stack) if text), None)
        if dated_by:
            release[number] = dated_by
    logger.debug("%s: %d headings, %d lines under a release", document.doc_id, len(headings), len(release))
    return Layout(roles, release)


def is_plain_label(sentence: Sentence, paragraph: Sequence[Sentence]) -> bool:
    """A one-line paragraph that reads as a heading: short, no closing punctuation, mostly capitalised."""
    text = sentence.text.strip()
    if len(paragraph) != 1 or sentence.line_start != sentence.line_end or not text:
        return False
    if text[-1] in '.!?:;,"”’)' or text[0] in "-–—*•>\"“‘'(":
        return False
    words = [w for w in _WORD.findall(text) if w.lower() not in _CONNECTORS]
    if not words or len(words) > _MAX_LABEL_WORDS:
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capitalised >= _LABEL_CAPITALISED * len(words)


def _title_noun_before(text: str) -> bool:
    """Whether one of the last three words of ``text`` names a work ("the book", "a film called")."""
    words = [w.lower() for w in _WORD.findall(text[-60:])][-3:]
    return any(w in _TITLE_NOUNS for w in words)


def _quoted_title(sentence: str, start: int, end: int) -> bool:
    for opener, closer in _QUOTES.items():
        left = sentence.rfind(opener, 0, start)
        if left < 0:
            continue
        right = sentence.find(closer, end)
        if right < 0 or closer in sentence[left + 1 : start]:
            continue
        if len(sentence[left + 1 : right].split()) <= _MAX_LABEL_WORDS and _title_noun_before(sentence[:left]):
            return True
    return False


def _capitalised_run_start(sentence: str, start: int) -> int:
    """Where the run of capitalised words, numbers and connectors that reaches ``start`` begins."""
    words = list(_WORD.finditer(sentence[:start]))
    begin = start
    for word in reversed(words):
        gap = sentence[word.end() : begin]
        text = word.group()
        if gap.strip() or not (text[0].isupper() or text[0].isdigit() or text.lower() in _CONNECTORS):
            break
        begin = word.start()
    return begin


def in_title(sentence: str, start: int, end: int) -> bool:
    """Whether ``sentence[start:end]`` is part of a work's title, so the date it holds names no event.

    A title is quoted or italic after "book", "film"…, or is the capitalised name right after such a word
    ("the book Panama 1989 Revisited").
    """
    if _quoted_title(sentence, start, end):
        return True
    begin = _capitalised_run_start(sentence, start)
    if begin == start:  # "the novel 1984": the title is the date itself
        before = _WORD.findall(sentence[max(0, start - 30) : start])
        return bool(before) and sentence[:start].endswith((" ", "\u00a0")) and before[-1].lower() in _TITLE_NOUNS
    return sentence[begin:start].strip()[:1].isupper() and _title_noun_before(sentence[:begin])
