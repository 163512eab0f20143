"""Each reader on small files written for the purpose: structure, metadata, and what is never quoted."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest

from retrieval.corpus.loader import load_corpus
from retrieval.corpus.readers import Extracted, accepted_suffixes, reader_for, register
from retrieval.corpus.readers.base import Unreadable
from retrieval.models import Block, Document

MARKDOWN = """---
title: Widget Guide
date: 2024-03-05
url: https://example.org/widgets
author: Ada Lovelace
---

# widget-tool

[![Build](https://ci.example/badge.svg)](https://ci.example) ![cov](https://cov.example/c.svg)

<div align="center"><img src="logo.png"></div>

- [Usage](#usage)
- [Options](#options)

## Usage

Install the tool with **pip** and run `widget --help` to list [its options](https://example.org/opts).

![diagram](diagram.png)
The diagram above shows the pipeline.

To install, run:

```shell
pip install widget-tool

widget --version
```

### Options

| Option | Effect |
|---|---|
| `--fast` | Skips the slow checks. |
| `--out FILE` | Writes the report to FILE. |

[opts]: https://example.org/opts
"""


def read(suffix: str, content: str | bytes) -> Extracted:
    reader = reader_for(suffix)
    assert reader is not None
    return reader.read(content.encode() if isinstance(content, str) else content)


def blocks_by_text(extracted: Extracted) -> dict[str, Block]:
    return {extracted.text[b.start : b.end]: b for b in extracted.blocks}


def test_markdown_structure_and_front_matter() -> None:
    extracted = read(".md", MARKDOWN)
    assert (extracted.title, extracted.date, extracted.url, extracted.author) == (
        "Widget Guide",
        date(2024, 3, 5),
        "https://example.org/widgets",
        "Ada Lovelace",
    )
    blocks = blocks_by_text(extracted)
    usage = "Install the tool with **pip** and run `widget --help` to list [its options](https://example.org/opts)."
    assert blocks[usage].heading == ("widget-tool", "Usage")
    assert blocks["The diagram above shows the pipeline."].kind == "text"  # the image line above it is dropped
    code = blocks["pip install widget-tool\n\nwidget --version"]  # one block, fences left out, blank line kept
    assert code.kind == "code"
    row = blocks["| `--fast` | Skips the slow checks. |"]
    assert row.kind == "table" and row.heading == ("widget-tool", "Usage", "Options")
    assert row.lead and extracted.text[row.lead[0] : row.lead[1]] == "| Option | Effect |"
    quoted = " ".join(blocks)
    for never in ("badge.svg", "cov.svg", "<div", "logo.png", "diagram.png", "[opts]:", "#usage", "title: Widget"):
        assert never not in quoted, never


def test_markdown_without_front_matter_takes_the_first_h1_and_plain_text_for_links() -> None:
    extracted = read(".markdown", "Intro text before any heading.\n\n# The Title\n\nBody *text* here.\n")
    assert extracted.title == "The Title"
    reader = reader_for(".md")
    assert reader is not None
    assert reader.plain("Run `widget --help` to list [its options](https://x.org).", "text") == (
        "Run widget --help to list its options."
    )
    assert reader.plain("| `--fast` | Skips the slow checks. |", "table") == "--fast Skips the slow checks."


RST = """.. _target:

==============
 Widget Manual
==============

:Author: Grace Hopper
:Date: 2023-07-14

.. comment that must never be quoted

Widgets are configured with ``widget.toml`` and the :option:`--fast` flag.

Installing
==========

- first item
- second item
  continues here

.. code-block:: python

   import widget
   widget.run()

.. toctree::

   secret-page

requisite
   Failure returns control to the application at once.

Options
-------

=======  ==============
Option   Effect
=======  ==============
fast     Skips checks.
slow     Runs them all.
=======  ==============
"""


def test_rst_sections_docinfo_and_what_is_not_quoted() -> None:
    extracted = read(".rst", RST)
    assert (extracted.title, extracted.date, extracted.author) == ("Widget Manual", date(2023, 7, 14), "Grace Hopper")
    blocks = blocks_by_text(extracted)
    intro = "Widgets are configured with ``widget.toml`` and the :option:`--fast` flag."
    assert blocks[intro].heading == ("Widget Manual",)
    assert blocks["second item\n  continues here"].kind == "item"
    code = blocks["import widget\n   widget.run()"]
    assert (code.kind, code.heading) == ("code", ("Widget Manual", "Installing"))
    row = blocks["fast     Skips checks."]
    assert row.kind == "table" and row.heading == ("Widget Manual", "Installing", "Options")
    assert row.lead and extracted.text[row.lead[0] : row.lead[1]] == "Option   Effect"
    definition = blocks["Failure returns control to the application at once."]
    assert definition.lead and extracted.text[definition.lead[0] : definition.lead[1]] == "requisite"
    quoted = " ".join(blocks)
    assert "comment" not in quoted and "secret-page" not in quoted and "toctree" not in quoted
    reader = reader_for(".rst")
    assert reader is not None
    assert reader.plain(intro, "text") == "Widgets are configured with widget.toml and the --fast flag."


HTML = """<!doctype html><html><head>
<title>Widgets — Example Docs</title>
<meta property="article:published_time" content="2022-11-02T10:00:00Z">
<meta name="author" content="Alan Turing">
<link rel="canonical" href="https://example.org/widgets.html">
<script>var tracking = "never quoted";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
<main>
<h1>Widgets<a class="headerlink" href="#w">¶</a></h1>
<p>Widgets turn   configuration files
into <em>running</em> services, one per file, and they restart them when they fail.</p>
<h2>Control values</h2>
<dl><dt>requisite</dt><dd><p>Failure returns control to the application at once.</p></dd></dl>
<pre>widget --fast
widget --slow</pre>
<table><tr><th>Option</th><th>Effect</th></tr><tr><td>fast</td><td>Skips checks.</td></tr></table>
<ul><li>First point about widgets.</li></ul>
</main>
<footer>Copyright footer never quoted</footer>
</body></html>"""


def test_html_main_content_metadata_and_leads() -> None:
    extracted = read(".html", HTML)
    assert (extracted.title, extracted.date, extracted.url, extracted.author) == (
        "Widgets",
        date(2022, 11, 2),
        "https://example.org/widgets.html",
        "Alan Turing",
    )
    blocks = blocks_by_text(extracted)
    paragraph = (
        "Widgets turn configuration files into running services, one per file, and they restart them when they fail."
    )
    assert blocks[paragraph].heading == ("Widgets",)
    answer = blocks["Failure returns control to the application at once."]
    assert answer.heading == ("Widgets", "Control values")
    assert answer.lead and extracted.text[answer.lead[0] : answer.lead[1]] == "requisite"
    assert blocks["widget --fast\nwidget --slow"].kind == "code"
    row = blocks["fast | Skips checks."]
    assert row.lead and extracted.text[row.lead[0] : row.lead[1]] == "Option | Effect"
    assert blocks["First point about widgets."].kind == "item"
    for never in ("tracking", "Home", "footer", "¶"):
        assert never not in extracted.text, never


def test_html_that_is_not_html_is_unreadable() -> None:
    with pytest.raises(Unreadable, match="binary"):
        read(".html", b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(Unreadable, match="empty"):
        read(".htm", b"  \n")


def _pdf(pages: list[str], *, password: str | None = None) -> bytes:
    """A real PDF with one text line per entry in ``pages`` (written by pypdf, no extra dependency)."""
    writer = pypdf.PdfWriter()
    for text in pages:
        page = writer.add_blank_page(width=612, height=792)
        if text:
            font = pypdf.generic.DictionaryObject(
                {
                    pypdf.generic.NameObject("/Type"): pypdf.generic.NameObject("/Font"),
                    pypdf.generic.NameObject("/Subtype"): pypdf.generic.NameObject("/Type1"),
                    pypdf.generic.NameObject("/BaseFont"): pypdf.generic.NameObject("/Helvetica"),
                }
            )
            page[pypdf.generic.NameObject("/Resources")] = pypdf.generic.DictionaryObject(
                {
                    pypdf.generic.NameObject("/Font"): pypdf.generic.DictionaryObject(
                        {pypdf.generic.NameObject("/F1"): writer._add_object(font)}
                    )
                }
            )
            stream = pypdf.generic.DecodedStreamObject()
            stream.set_data(f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET".encode("latin-1"))
            page[pypdf.generic.NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_pages_and_unreadable_pdfs() -> None:
    extracted = read(".pdf", _pdf(["The first page says hello.", "The second page says goodbye."]))
    blocks = blocks_by_text(extracted)
    assert blocks["The first page says hello."].page == 1
    assert blocks["The second page says goodbye."].page == 2
    with pytest.raises(Unreadable, match="encrypted"):
        read(".pdf", _pdf(["Secret text."], password="s3cret"))
    with pytest.raises(Unreadable, match="no extractable text"):
        read(".pdf", _pdf([""]))


def test_loader_names_every_skipped_file_and_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "guide.MD").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "locked.pdf").write_bytes(_pdf(["Secret text."], password="s3cret"))
    (tmp_path / "scan.pdf").write_bytes(_pdf([""]))
    (tmp_path / "only-images.md").write_text("# Logo\n\n![logo](logo.png)\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Dotfiles are not documents.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["guide"]
    assert corpus.documents[0].kind == "md"
    reasons = {s.name: s.reason for s in corpus.skipped}
    assert reasons == {
        "locked.pdf": "it is encrypted (password protected)",
        "only-images.md": "no quotable text (only headings, images or markup)",
        "scan.pdf": "it has no extractable text (scanned images?)",
    }


class _LogReader:
    """A reader for a made-up format: every line of a .log file is a block."""

    kind = "log"
    suffixes = (".log",)
    gives = "one block per line"

    def read(self, raw: bytes) -> Extracted:
        text = raw.decode()
        blocks, cursor = [], 0
        for line in text.split("\n"):
            if line.strip():
                blocks.append(Block(cursor, cursor + len(line)))
            cursor += len(line) + 1
        return Extracted(text=text, blocks=tuple(blocks), title="Server log")

    def plain(self, text: str, kind: str) -> str:
        return text


def test_a_registered_reader_extends_the_accepted_kinds(tmp_path: Path) -> None:
    assert ".log" not in accepted_suffixes()
    (tmp_path / "server.log").write_text("Disk full at noon.\nRestarted at one.\n", encoding="utf-8")
    assert load_corpus(tmp_path).skipped[0].reason.startswith("unsupported kind (.log)")
    register(_LogReader())
    try:
        corpus = load_corpus(tmp_path)
        assert [p.text for p in corpus.passages] == ["Disk full at noon.", "Restarted at one."]
        assert corpus.documents[0].title == "Server log"
    finally:
        from retrieval.corpus import readers

        readers._BY_SUFFIX.pop(".log")
        readers._BY_KIND.pop("log")


def test_block_lookup_by_offset() -> None:
    document = Document("d", "d.md", "ab\n\ncd", "t", None, False, 0, "", blocks=(Block(0, 2), Block(4, 6, "code")))
    assert document.block_at(1) == Block(0, 2)
    assert document.block_at(3) is None
    assert document.block_at(5) == Block(4, 6, "code")
