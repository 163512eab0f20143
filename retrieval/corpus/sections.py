"""What a passage's place in its document adds: section titles the ranker can match, and citation details.

A passage under "python-dotenv › Usage › Load .env" is about loading .env files even when its own words
never say so; its heading path (and a table row's header row) is indexed with it as an extra field, the
way a search engine indexes a page's title with its body.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from retrieval.corpus.links import rendered_text
from retrieval.models import Document, Passage
from retrieval.text.analysis import fold_for_tokens, tokenize


def field_terms(passage: Passage) -> tuple[str, ...]:
    """Index terms of the passage's heading path and table header (empty for plain paragraphs)."""
    if not passage.heading_path and not passage.lead:
        return ()
    return _terms(passage.heading_path, passage.lead)


@lru_cache(maxsize=8192)
def _terms(heading: tuple[str, ...], lead: str) -> tuple[str, ...]:
    return tuple(token.term for token in tokenize(fold_for_tokens(" ".join((*heading, lead)))))


def citation_fields(document: Document, start: int, end: int) -> dict[str, Any]:
    """The `Quote` fields that locate ``document.text[start:end]`` in its document, for the citation.

    They are the heading path, page, kind, table header, and the rendered text (markup removed) that link
    fragments and evaluation match against.
    """
    block = document.block_at(start)
    kind = block.kind if block else "text"
    return {
        "heading_path": block.heading if block else (),
        "page": block.page if block else None,
        "kind": kind,
        "lead": document.text[block.lead[0] : block.lead[1]] if block and block.lead else "",
        "rendered": rendered_text(document, document.text[start:end], kind),
    }
