"""Text-level rendering: escaping corpus and user text, and cutting Discord markdown without breaking it.

Everything the bot shows comes from the corpus or from users, so every piece is escaped before the bot
adds its own markup (bold highlights, block quotes, links). Truncation is markup-aware because a cut in
the middle of `**bold**` or `[title](url)` would make Discord render stray asterisks or raw brackets.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from discord.utils import escape_markdown

logger = logging.getLogger(__name__)

ELLIPSIS = "…"
NEWLINES = frozenset("\n\r\v\f\x85\u2028\u2029")

_LINE_BREAK = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
# C0/C1 controls (but not tab/newline), bidi embeddings/overrides/isolates that can flip the layout of
# the rest of a line, and the BOM.
_DROP = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_ZALGO = re.compile(f"(?<=[{_COMBINING}]{{3}})[{_COMBINING}]+")  # keep at most three stacked marks
_INDENT = re.compile(r"\n[^\S\n]+")
_INDENT_START = re.compile(r"^[^\S\n]+")
_ORDERED_LIST = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
# After escape_markdown: keep existing escape pairs, escape the `<` of user/role/channel/command/emoji/
# timestamp tokens, and break `@everyone`/`@here` with a zero-width space.
_NEUTRALISE = re.compile(r"\\[\s\S]|<(?=[@#]|/\w|a?:\w+:\d|t:-?\d)|@(?=everyone|here)", re.IGNORECASE)
_HIDE_BRACKETS = str.maketrans("[]", "\x01\x02")
_SHOW_BRACKETS = str.maketrans({"\x01": "\\[", "\x02": "\\]"})
_URL_UNSAFE = re.compile(r"[\s()<>\"\\`{}|^\[\]]|[^\x21-\x7e]")
_TOKEN = re.compile(
    r"(?P<esc>\\[\s\S])"
    r"|(?P<url>(?:https?|steam)://[^\s<]+)"  # left unescaped by escape_markdown; never cut or parsed
    r"|(?P<link>\[(?:\\.|[^\[\]\\\n])*\]\((?:<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\))"
    r"|(?P<fence>```)"
    r"|(?P<tick>`)"
    r"|(?P<mark>\*\*|__|~~|\|\||\*|_)"
)
_LINE_PREFIX = re.compile(r">>> |> |#{1,3} |-# ")
_CODE = ("```", "`")


def sanitize(text: str, *, inline: bool = False) -> str:
    """Remove characters that break layout; ``inline`` also folds all whitespace (titles, labels)."""
    text = _ZALGO.sub("", _DROP.sub("", _LINE_BREAK.sub("\n", text)))
    if inline:
        return " ".join(text.split())
    return re.sub(r"\n{3,}", "\n\n", text)


def _escape_fragment(text: str, *, at_line_start: bool) -> str:
    """Escape sanitized text; line-start rules (`> `, `#`, `-`, `1.`) only apply at real line starts."""
    if not text:
        return ""
    # Indentation is invisible in Discord but would defeat the line-start escapes and strand `> ` prefixes.
    text = _INDENT.sub("\n", text)
    if at_line_start:
        text = _INDENT_START.sub("", text)
    guard = "" if at_line_start else "x"  # a letter in front stops `^` rules firing mid-line
    # escape_markdown's greedy link rule swallows everything between the first `[` and the last `)` on a
    # line unescaped, so brackets go in as control characters (sanitize removed any real ones) and come
    # back escaped.
    hidden = (guard + text).translate(_HIDE_BRACKETS)
    out = _ORDERED_LIST.sub(r"\1\\.", escape_markdown(hidden))[len(guard) :]
    return _NEUTRALISE.sub(_neutralise, out).translate(_SHOW_BRACKETS)


def _neutralise(match: re.Match[str]) -> str:
    token = match.group()
    if token.startswith("\\"):
        return token
    if token == "@":
        return "@\u200b"
    return "\\" + token


def escape(text: str, *, inline: bool = False) -> str:
    """Markdown-escape corpus/user text so it shows literally and never looks like a mention.

    ``inline=True`` is for one-line places (titles, link labels, footers): newlines and runs of
    whitespace become single spaces.
    """
    return _escape_fragment(sanitize(text, inline=inline), at_line_start=True)


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where escape_markdown leaves URLs untouched; bolding inside them would corrupt the URL."""
    return [m.span() for m in re.finditer(r"(?:https?|steam)://\S+", text)]


def _clean_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clamp, merge and trim highlight spans; split them at newlines so bold never crosses a quote line."""
    urls = _url_spans(text)
    clamped = sorted(
        (max(0, s), min(len(text), e))
        for s, e in spans
        if max(0, s) < min(len(text), e) and not any(s < ue and us < e for us, ue in urls)
    )
    merged: list[list[int]] = []
    for s, e in clamped:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    result: list[tuple[int, int]] = []
    for s, e in merged:
        piece_start = s
        for i in range(s, e + 1):
            if i == e or text[i] in NEWLINES:
                a, b = piece_start, i
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if a < b:
                    result.append((a, b))
                piece_start = i + 1
    return result


def highlighted(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` and make the spans **bold**; pieces are escaped separately so markup stays ours."""

    def piece(start: int, end: int) -> str:
        at_line_start = start == 0 or text[start - 1] in NEWLINES
        return _escape_fragment(sanitize(text[start:end]), at_line_start=at_line_start)

    out: list[str] = []
    pos = 0
    for s, e in _clean_spans(text, spans):
        out.append(piece(pos, s))
        bold = piece(s, e)
        out.append(f"**{bold}**" if bold else "")
        pos = e
    out.append(piece(pos, len(text)))
    return "".join(out)


def blockquote(markdown: str) -> str:
    """Prefix every non-blank line with `> ` so Discord shows one block quote."""
    return "\n".join(f"> {line}" for line in markdown.split("\n") if line.strip())


def safe_url(url: str) -> str | None:
    """A URL usable as a markdown link target, or None when it is not a web link.

    Parentheses are percent-encoded so `)` cannot end the link early; `#:~:text=` fragments are
    percent-decoded by browsers, so encoding keeps them working.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _can_cut(text: str, i: int) -> bool:
    """Whether cutting before ``text[i]`` keeps grapheme clusters (emoji sequences, accents, flags) whole."""
    ch, prev = text[i], text[i - 1]
    code = ord(ch)
    if "\u200d" in (ch, prev) or unicodedata.category(ch) in ("Mn", "Me", "Mc"):
        return False
    if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE01EF:
        return False
    if _is_regional(ch) and _is_regional(prev):
        run = 0
        while i - run - 1 >= 0 and _is_regional(text[i - run - 1]):
            run += 1
        return run % 2 == 0
    return True


def _closers(stack: Iterable[str]) -> str:
    return "".join("\n```" if marker == "```" else marker for marker in reversed(list(stack)))


def _step(text: str, i: int, stack: list[str]) -> tuple[int, bool]:
    """Consume one markdown token at ``i``; return the next index and whether it opened markup."""
    if stack and stack[-1] in _CODE:  # inside code only the matching fence/tick means anything
        closing = stack[-1]
        if text.startswith(closing, i):
            stack.pop()
            return i + len(closing), False
        return i + 1, False
    if i == 0 or text[i - 1] == "\n":
        prefix = _LINE_PREFIX.match(text, i)
        if prefix:
            return prefix.end(), True
    match = _TOKEN.match(text, i)
    if match is None:
        return i + 1, False
    token = match.group()
    if match.lastgroup in ("fence", "tick") or (match.lastgroup == "mark" and token not in stack):
        stack.append(token)
        return match.end(), True
    if match.lastgroup == "mark":
        del stack[len(stack) - 1 - stack[::-1].index(token)]
    return match.end(), False


def truncate(text: str, limit: int, *, markup: bool = True) -> str:
    """Cut ``text`` to at most ``limit`` characters, preferably at a word boundary, ending in "…".

    With ``markup`` the cut never lands inside an escape pair or a link, never leaves an empty `****`,
    and closes any bold/italic/strike/spoiler/code it is inside. Lengths are code points, as Discord counts.
    """
    if len(text) <= limit:
        return text
    budget = limit - len(ELLIPSIS)
    if budget < 0:
        return ""
    stack: list[str] = []
    best: tuple[int, tuple[str, ...]] = (0, ())
    best_word: tuple[int, tuple[str, ...]] | None = None
    i, opened = 0, False
    while i < len(text):
        if i > 0:
            if i + len(_closers(stack)) > budget:
                break
            if not opened and _can_cut(text, i):
                best = (i, tuple(stack))
                if text[i].isspace() and not text[i - 1].isspace():
                    best_word = best
        if markup:
            i, opened = _step(text, i, stack)
        else:
            i, opened = i + 1, False
    cut, open_markers = best_word if best_word and best_word[0] >= 0.6 * best[0] else best
    logger.debug("truncated %d characters to %d", len(text), cut)
    return text[:cut].rstrip() + ELLIPSIS + _closers(open_markers)


def clip(text: str, limit: int) -> str:
    """Truncate raw (not yet escaped) text, so it can be escaped afterwards."""
    return truncate(text, limit, markup=False)
