"""Small pieces of wording every interface shares, written once so the terminal and Discord agree."""

from __future__ import annotations

TIMELINE_PAGE_SIZE = 6  # events per timeline page, in Discord and in the terminal chat alike


def plural(count: int, word: str) -> str:
    """``1 document``, ``2 documents``: the count and the word, plural unless the count is one."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def line_label(start: int, end: int, dash: str = "–") -> str:
    """``line 4`` or ``lines 4–7``: where a quote sits in its file."""
    return f"line {start}" if start == end else f"lines {start}{dash}{end}"
