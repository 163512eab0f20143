"""Documents into paragraphs, sentences and passages, every piece with its exact span and lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from retrieval.corpus.sentences import split_sentences
from retrieval.models import Block, Document, Passage, Sentence

# A passage is what the index ranks: a paragraph, cut into windows when it is long, so that one
# long paragraph does not win every query by sheer length.
MAX_PASSAGE_SENTENCES = 5
MAX_PASSAGE_CHARS = 1200
WHOLE_KINDS = frozenset({"code", "table"})

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n")


def paragraph_spans(text: str, origin: int = 0) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text[origin:]``, whitespace trimmed.

    Paragraphs are separated by blank lines; a text that never uses a blank line (one paragraph
    per line, as many news exports do) is split at every line break instead.
    """
    separator = _BLANK_LINES if _BLANK_LINES.search(text, origin) else re.compile(r"\n")
    spans: list[tuple[int, int]] = []
    cursor = origin
    for match in separator.finditer(text, origin):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(text)))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, exact offsets in the source (see retrieval/corpus/sentences.py).

    Hard-wrapped paragraphs (Markdown, reST, PDF lines) break lines mid-sentence, so the paragraph is
    read with its line breaks as spaces (same length: every offset found there is the source's).
    """
    paragraph = text[start:end].replace("\r", " ").replace("\n", " ")
    for s_start, s_end in split_sentences(paragraph):
        yield start + s_start, start + s_end


def document_blocks(document: Document) -> tuple[Block, ...]:
    """The reader's blocks; a document built without a reader is cut at its blank lines."""
    if document.blocks:
        return document.blocks
    return tuple(Block(start, end) for start, end in paragraph_spans(document.text, document.body_start))


def chunk_document(document: Document, first_passage_index: int) -> tuple[list[Sentence], list[Passage]]:
    """All sentences and passages of one document, in order: one paragraph index per block.

    Code blocks and table rows are one sentence each, so they are quoted whole, never cut in the middle.
    """
    text = document.text
    sentences: list[Sentence] = []
    passages: list[Passage] = []
    for paragraph_index, block in enumerate(document_blocks(document)):
        first = len(sentences)
        whole = block.kind in WHOLE_KINDS
        spans = [(block.start, block.end)] if whole else sentence_spans(text, block.start, block.end)
        for s_start, s_end in spans:
            sentences.append(
                Sentence(
                    doc_id=document.doc_id,
                    index=len(sentences),
                    paragraph=paragraph_index,
                    start=s_start,
                    end=s_end,
                    line_start=document.line_of(s_start),
                    line_end=document.line_of(s_end - 1),
                    source=text,
                )
            )
        for window in [sentences[first:]] if whole else _windows(sentences[first:]):
            start, end = window[0].start, window[-1].end
            passages.append(
                Passage(
                    doc_id=document.doc_id,
                    index=first_passage_index + len(passages),
                    paragraph=paragraph_index,
                    first_sentence=window[0].index,
                    last_sentence=window[-1].index,
                    start=start,
                    end=end,
                    line_start=window[0].line_start,
                    line_end=window[-1].line_end,
                    source=text,
                    heading_path=block.heading,
                    page=block.page,
                    kind=block.kind,
                    lead_span=block.lead,
                )
            )
    return sentences, passages


def _windows(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    window: list[Sentence] = []
    for sentence in sentences:
        if window and (len(window) >= MAX_PASSAGE_SENTENCES or sentence.end - window[0].start > MAX_PASSAGE_CHARS):
            yield window
            window = []
        window.append(sentence)
    if window:
        yield window
