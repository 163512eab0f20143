"""reStructuredText (Sphinx documentation among others) read by its structure with docutils.

It reads sections and titles, paragraphs, list items, literal and code blocks, and table rows with their
header.

docutils gives the tree and each paragraph's raw source; the raw lines are then found in the file in
document order, so every block is an exact slice of the file. Directives docutils does not know (Sphinx's
``toctree``, ``autofunction``…), comments, substitutions, raw HTML and error reports are never quoted.
"""

from __future__ import annotations

import logging
import re

from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import SystemMessage

from retrieval.corpus.readers.base import Extracted, HeadingPath, Unreadable, decode_text, parse_day, trim
from retrieval.models import Block

logger = logging.getLogger(__name__)

_SETTINGS = {
    "report_level": 5,  # silent: problems become system_message nodes, which are skipped
    "halt_level": 5,
    "file_insertion_enabled": False,  # `.. include::` must not read other files
    "raw_enabled": False,
    "input_encoding": "unicode",
    "warning_stream": False,
}
_NOT_QUOTED = (
    nodes.system_message,
    nodes.comment,
    nodes.substitution_definition,
    nodes.raw,
    nodes.docinfo,
    nodes.target,
    nodes.Invisible,
)
_WORD = re.compile(r"\w")
_ROLE = re.compile(r":[\w.+-]+:`([^`<]*?)(?:\s*<[^>]*>)?`")
_LINK = re.compile(r"`([^`<]*?)\s*<[^>]*>`__?")
_REFERENCE = re.compile(r"`([^`]+)`__?")
_INTERPRETED = re.compile(r"(?<![`\w])`([^`]+)`(?![`_])")
_MARKUP = re.compile(r"``|\*\*|(?<!\w)\*|\*(?!\w)|(?<=\w)__?(?!\w)")


class RstReader:
    """reStructuredText files (Sphinx documentation), quoted verbatim as written, markup included."""

    kind = "rst"
    suffixes = (".rst", ".rest")
    gives = (
        "the document title and docinfo (:Author:, :Date:); section heading paths; paragraphs, list items, "
        "literal/code blocks whole, table rows with their header; unknown directives and comments never quoted"
    )

    def read(self, raw: bytes) -> Extracted:
        """The file itself as text, its blocks by the parsed tree, title and docinfo from the document."""
        text = decode_text(raw)
        try:
            tree = publish_doctree(text, settings_overrides=_SETTINGS)
        except (SystemMessage, Exception) as error:  # docutils raises many kinds on malformed input
            raise Unreadable(f"docutils could not parse it ({type(error).__name__})") from None
        walker = _Walker(text)
        title = tree.get("title") or None
        depth = 0
        for child in tree.children:
            if isinstance(child, nodes.title):
                walker.headings.enter(1, child.astext())
                depth = 1
        walker.walk(tree, depth)
        return Extracted(
            text=text,
            blocks=tuple(walker.blocks),
            title=" ".join(title.split()) if title else walker.first_section,
            date=parse_day(_docinfo(tree, nodes.date)),
            author=_docinfo(tree, nodes.author),
        )

    def plain(self, text: str, kind: str) -> str:
        """A quote's rendered text: roles, link targets, inline markup and table borders dropped; code as is."""
        if kind == "code":
            return text
        if kind == "table":
            text = re.sub(r"[|+]", " ", text)
        text = _ROLE.sub(_role_label, text)
        text = _LINK.sub(r"\1", text)
        text = _REFERENCE.sub(r"\1", text)
        text = _INTERPRETED.sub(r"\1", text)
        text = _MARKUP.sub("", text)
        text = re.sub(r"::(\s|$)", r":\1", text)
        return " ".join(text.split())


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.blocks: list[Block] = []
        self.headings = HeadingPath()
        self.first_section: str | None = None  # the title when docutils did not promote one (a target before it)
        self.lead: tuple[int, int] | None = None  # the term of the definition being read

    def walk(self, node: nodes.Element, depth: int) -> None:
        for child in node.children:
            if not isinstance(child, nodes.Element) or isinstance(child, _NOT_QUOTED):
                continue
            if isinstance(child, nodes.section):
                title = next((c for c in child.children if isinstance(c, nodes.title)), None)
                name = " ".join(title.astext().split()) if title else ""
                self.headings.enter(depth + 1, name)
                if depth == 0 and self.first_section is None and name:
                    self.first_section = name
                if title is not None:
                    self._locate(title.rawsource)  # moves the cursor past the title
                self.walk(child, depth + 1)
            elif isinstance(child, nodes.title):
                continue
            elif isinstance(child, nodes.table):
                self._table(child)
            elif isinstance(child, nodes.term):
                self.lead = self._locate(child.rawsource)  # the term leads the definition that follows
            elif isinstance(child, nodes.definition):
                self.walk(child, depth)
                self.lead = None
            elif isinstance(child, (nodes.literal_block, nodes.doctest_block)):
                self._block(child.rawsource or child.astext(), "code")
            elif isinstance(child, nodes.paragraph):
                inside_list = isinstance(child.parent, (nodes.list_item, nodes.definition, nodes.field_body))
                self._block(child.rawsource, "item" if inside_list else "text")
            else:
                self.walk(child, depth)

    def _table(self, table: nodes.table) -> None:
        header: tuple[int, int] | None = None
        for row in table.findall(nodes.row):
            cells = [p.rawsource for p in row.findall(nodes.paragraph)]
            spans = [span for raw in cells if (span := self._locate(raw))]
            if not spans:
                continue
            span = trim(self.text, spans[0][0], spans[-1][1])
            if span is None:
                continue
            if isinstance(row.parent, nodes.thead):
                header = span
            else:
                self.blocks.append(Block(span[0], span[1], "table", self.headings.path, None, header))

    def _block(self, raw: str, kind: str) -> None:
        span = self._locate(raw)
        if span:
            self.blocks.append(Block(span[0], span[1], kind, self.headings.path, None, self.lead))
        elif raw.strip():
            logger.debug("rst block not found in its source: %r", raw[:60])

    def _locate(self, raw: str) -> tuple[int, int] | None:
        """Find the raw lines one after another from the cursor; the span runs from the first to the last."""
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        if not lines:
            return None
        start = self.text.find(lines[0], self.cursor)
        if start < 0:
            return None
        end = start + len(lines[0])
        for line in lines[1:]:
            found = self.text.find(line, end)
            if found < 0 or _WORD.search(self.text, end, found):
                break  # words in between: not the next line of this block; keep what was found
            end = found + len(line)
        self.cursor = end
        return trim(self.text, start, end)


def _role_label(match: re.Match[str]) -> str:
    """What Sphinx shows for a role: its label; ``~a.b.C`` shows ``C``, ``!x`` shows ``x``."""
    label = match.group(1).strip()
    if label.startswith("~"):
        label = label[1:].rsplit(".", 1)[-1]
    return label.lstrip("!")


def _docinfo(tree: nodes.document, kind: type[nodes.Element]) -> str | None:
    for info in tree.findall(nodes.docinfo):
        for field in info.findall(kind):
            return " ".join(field.astext().split()) or None
    return None
