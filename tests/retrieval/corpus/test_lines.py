"""Line numbers come from a line-start table: same answers as counting newlines, at any offset."""

from __future__ import annotations

import random
from dataclasses import replace

from retrieval.models import Document


def _document(text: str) -> Document:
    return Document("d", "d.txt", text, "t", None, False, 0, "0")


def test_line_of_agrees_with_counting_newlines_everywhere() -> None:
    rng = random.Random(3)
    text = "".join(rng.choice(["a", "b", " ", "\n", "\n\n", "é"]) for _ in range(3000))
    document = _document("\n" + text + "\n")
    for offset in range(len(document.text) + 1):
        assert document.line_of(offset) == document.text.count("\n", 0, offset) + 1


def test_a_text_without_newlines_is_one_line_and_replace_recomputes_the_table() -> None:
    document = _document("one line only")
    assert document.line_of(0) == document.line_of(len(document.text)) == 1
    changed = replace(document, text="a\nb\nc")
    assert changed.line_of(4) == 3
    assert changed == replace(changed)  # the table takes no part in equality
