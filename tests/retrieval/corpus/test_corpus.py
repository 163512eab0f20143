"""Corpus loading: dates, titles, skipped files, and the exact-offset invariant on every sentence."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest

from retrieval.corpus.loader import latest_absolute_date, load_corpus
from retrieval.engine import Engine
from retrieval.evaluation.answers import read_cases
from tests.conftest import DATA, SEEDS
from tests.retrieval.conftest import REAL_DOCS

# SHA-256 of ../shared/seeds/*, the corpus as delivered: the bundled copies must stay byte for byte.
SHARED_SEED_SHA256 = {
    "000_80d63f22826af2d4.txt": "2a2c11fc9fbfcc05e168fad21189a14909805f10510cf5c24ac83701ba1a9183",
    "002_f4aac6a760c41ec4.txt": "b3d3c9e3ea1d8e91ac346dd12960d8264b5ce47f9803624e0f9f9f822d85f8fd",
    "003_a1360f9908bf2d3c.txt": "21d73a8d8cc381b76977e837931b8cfc8ccf0b4c825bcec836e58b90e01fabae",
}


def test_seed_files_are_byte_for_byte_copies_of_shared() -> None:
    bundled = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    assert bundled == SHARED_SEED_SHA256
    shared = Path(__file__).resolve().parents[4] / "shared" / "seeds"
    for original in shared.glob("*.txt"):  # when ../shared is beside the checkout, compare the bytes too
        assert (SEEDS / original.name).read_bytes() == original.read_bytes()


def test_every_sentence_is_an_exact_slice_of_its_source() -> None:
    corpus = load_corpus(SEEDS)
    assert len(corpus.sentences) > 100
    for sentence in corpus.sentences:
        text = corpus.document(sentence.doc_id).text
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.line_start == text.count("\n", 0, sentence.start) + 1
        assert sentence.line_end == text.count("\n", 0, sentence.end - 1) + 1
    for passage in corpus.passages:
        text = corpus.document(passage.doc_id).text
        assert text[passage.start : passage.end] == passage.text


def test_seed_dates_titles_and_date_lines() -> None:
    corpus = load_corpus(SEEDS)
    by_id = {d.doc_id: d for d in corpus.documents}
    first, cia, invasion = by_id["000_80d63f22826af2d4"], by_id["002_f4aac6a760c41ec4"], by_id["003_a1360f9908bf2d3c"]
    assert (first.date, first.date_inferred) == (date(2025, 11, 1), False)
    assert (invasion.date, invasion.date_inferred) == (date(2026, 1, 6), False)
    assert (cia.date, cia.date_inferred) == (date(2025, 12, 29), True)  # from "December 29, 2025"
    assert cia.title == "CIA Drone Strike Targets Venezuelan Drug Port"
    # the date line is not text: no sentence contains it
    assert not any("date 2026" in s.text or "date 2025" in s.text for s in corpus.sentences)
    # the rest of a date line is text (003 continues on the same line)
    assert corpus.sentences_of(invasion.doc_id)[0].text.startswith("The US’s first unilateral invasion")
    # the headline is the title, not a quotable sentence
    assert not any(s.text == cia.title for s in corpus.sentences)


def test_unreadable_files_are_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "good.txt").write_text("date 2024-05-01\nThe council met on Monday.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "only-date.txt").write_text("date 2024-01-01\n", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    reasons = {skipped.name: skipped.reason for skipped in corpus.skipped}
    assert sorted(reasons) == ["binary.md", "broken.pdf", "empty.txt", "latin1.txt", "notes.docx", "only-date.txt"]
    assert reasons["binary.md"] == "it looks binary"
    assert reasons["empty.txt"] == "it is empty"
    assert reasons["latin1.txt"].startswith("it is not UTF-8 text")
    assert reasons["only-date.txt"] == "it holds only a date line"
    assert reasons["broken.pdf"].startswith("not a readable PDF")
    assert reasons["notes.docx"].startswith("unsupported kind (.docx); accepted: .txt, .md")
    assert "skipping latin1.txt" in caplog.text


def test_metadata_file_wins_and_bad_metadata_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Some text about the harbour.\n", encoding="utf-8")
    meta = {"a": {"title": "Harbour news", "date": "2020-02-02", "publisher": "Gazette", "url": "https://ex.org/a"}}
    (tmp_path / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    document = load_corpus(tmp_path).documents[0]
    assert (document.title, document.date, document.publisher, document.url) == (
        "Harbour news",
        date(2020, 2, 2),
        "Gazette",
        "https://ex.org/a",
    )
    (tmp_path / "metadata.json").write_text("{not json", encoding="utf-8")
    assert load_corpus(tmp_path).documents[0].title == "Some text about the harbour."


def test_version_changes_with_content(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First text.\n", encoding="utf-8")
    before = load_corpus(tmp_path).version
    (tmp_path / "a.txt").write_text("First text, edited.\n", encoding="utf-8")
    assert load_corpus(tmp_path).version != before


def test_latest_absolute_date_reads_only_full_dates() -> None:
    text = "On Dec. 26 he spoke. On 3 January 2026 and on December 29, 2025 and 2024-12-01; in 2027 maybe."
    assert latest_absolute_date(text) == date(2026, 1, 3)
    assert latest_absolute_date("We may meet in March.") is None


def test_missing_folder_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


TEXT_KINDS = frozenset({"txt", "md", "rst"})  # formats whose files are the text the bot quotes from
_IMAGE_ONLY = re.compile(r"(?:\s*\[?!\[[^\]]*\]\([^)]*\)\]?(?:\([^)]*\))?)+\s*")


def _at_lines(path: Path, text: str, line_start: int, line_end: int) -> bool:
    """``text`` is in the file (decoded as the loader does) exactly on lines line_start..line_end."""
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    first, last = text.split("\n")[0], text.split("\n")[-1]
    window = "\n".join(lines[line_start - 1 : line_end])
    return text in window and first in lines[line_start - 1] and last in lines[line_end - 1]


def test_every_piece_of_every_format_is_an_exact_slice(docs_engine: Engine) -> None:
    """The offset invariant on real Markdown, reStructuredText, HTML and PDF files."""
    corpus = docs_engine.corpus
    assert {d.kind for d in corpus.documents} == {"md", "rst", "html", "pdf"}
    assert not corpus.skipped
    for piece in (*corpus.sentences, *corpus.passages):
        document = corpus.document(piece.doc_id)
        assert document.text[piece.start : piece.end] == piece.text
        assert piece.text == piece.text.strip()
        if document.kind in TEXT_KINDS:
            assert _at_lines(REAL_DOCS / document.path, piece.text, piece.line_start, piece.line_end), piece


def test_every_quote_of_every_format_is_verbatim_at_its_lines(docs_engine: Engine) -> None:
    engine = docs_engine
    for case in read_cases(DATA / "docs" / "questions.jsonl"):
        answer = engine.ask(case.question)
        for quote in (*answer.quotes, *answer.more, *answer.suggestions):
            document = engine.corpus.document(quote.doc_id)
            assert document.text[quote.start : quote.end] == quote.text
            if document.kind in TEXT_KINDS:
                assert _at_lines(REAL_DOCS / document.path, quote.text, quote.line_start, quote.line_end), quote
            if document.kind == "pdf":
                assert quote.page and quote.url.endswith(f"#page={quote.page}")


def test_markup_is_never_a_passage_and_sections_carry_their_path(docs_engine: Engine) -> None:
    corpus = docs_engine.corpus
    for passage in corpus.passages:
        if corpus.document(passage.doc_id).kind != "md" or passage.kind == "code":
            continue
        text = passage.text
        assert not re.match(r"<[a-zA-Z/!]", text), text  # HTML blocks
        assert not re.match(r"\[[^\]]+\]:\s*\S", text), text  # link reference definitions
        assert not _IMAGE_ONLY.fullmatch(text), text  # badges and image-only lines
        assert not text.startswith("#"), text  # headings are paths, not quotes
    paths = {p.heading_path for p in corpus.passages if p.doc_id == "python-dotenv_README"}
    assert ("python-dotenv", "Other Use Cases", "Load configuration without altering the environment") in paths
    titles = {d.doc_id: d.title for d in corpus.documents}
    assert titles["python311_tomllib"] == "tomllib — Parse TOML files"
    assert titles["pytest_backwards-compatibility"] == "Backwards Compatibility Policy"
    assert titles["r-iterators_using-iterators"] == "Using The iterators Package"


def test_link_fragments_come_from_rendered_text(tmp_path: Path) -> None:
    """A Markdown quote's fragment holds what the browser shows, not backticks or link targets."""
    for name in ("python-dotenv_README.md", "python311_tomllib.html"):
        (tmp_path / name).write_bytes((REAL_DOCS / name).read_bytes())
    meta = {"python-dotenv_README": {"url": "https://github.com/theskumar/python-dotenv#readme"}}
    (tmp_path / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    engine = Engine.load(tmp_path, base_url="https://docs.example/files")
    answer = engine.ask("Set PYTHON_DOTENV_DISABLED to disable load_dotenv")
    quote = answer.quotes[0]
    assert "`PYTHON_DOTENV_DISABLED=1`" in quote.text
    assert quote.url.startswith("https://github.com/theskumar/python-dotenv#:~:text=Set%20PYTHON_DOTENV_DISABLED%3D1")
    assert "%60" not in quote.url
    html_quote = engine.ask("Does tomllib support writing TOML?").quotes[0]
    assert html_quote.url.startswith("https://docs.example/files/python311_tomllib.html#:~:text=")


def test_hard_wrapped_sentences_stay_whole(tmp_path: Path) -> None:
    """A line break inside a paragraph (Markdown, reST and PDF text wrap lines) does not end a sentence."""
    text = "# T\n\nThe tool reads every file\nin the folder. It stops.\n"
    (tmp_path / "wrapped.md").write_text(text, encoding="utf-8")
    sentences = [s.text for s in load_corpus(tmp_path).sentences]
    assert sentences == ["The tool reads every file\nin the folder.", "It stops."]


# SHA-256 of the test documents as shipped by their packages (LICENSES.md): the copies stay byte for byte.
REAL_DOCS_SHA256 = {
    "coverage_faq.rst": "ba066bb051ea4e6f54fcb377c802ab3fa9db90fd67643db055774d81b9b65466",
    "debug_README.md": "486cb669048bd5014adf9ea117e27a45c4e61b0e668f464c724273beb8170797",
    "httpx_README.md": "0025293013043e0c49d494dbbde876a6ac558fa70a74f93a86ed10e7ecba0ea3",
    "jsonlite_json-mapping.pdf": "a35b3516ca6a1cd68bcefbb4b785ba44ebbff793d2aba2abb2784278e74a422a",
    "linux-pam_configuration-file.html": "0f30cdc4be94533b991f82987560b67613f33201ef5e951df8c69ef01606412f",
    "pytest_backwards-compatibility.rst": "9858aeaeaf55e9eb49fdc0c9258f980ce8c06d187f3af1b264cc62de0f84152a",
    "python-dotenv_README.md": "e24837acf59e35b4430f369354b56ff39837240529eed4bdccee97c50aee68d4",
    "python311_tomllib.html": "af21b82eeae7017d83f749ed489f80b031eba70ab5cc9ca11efa2d6425a3a425",
    "r-iterators_using-iterators.pdf": "74a250dcc0b2032b1a76f96c56841b36631c59f4b03efd141c9d3e12d6db6d7d",
}


def test_real_documents_are_unmodified_and_licensed() -> None:
    """Every test document is an unmodified copy (a formatter once rewrote a README's code) listed in LICENSES.md."""
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in REAL_DOCS.iterdir()} == REAL_DOCS_SHA256
    licences = (DATA / "docs" / "LICENSES.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in licences for name in REAL_DOCS_SHA256)
