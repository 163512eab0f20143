"""Fixtures shared by the retrieval tests: the real-documents corpus, indexed once per session."""

from __future__ import annotations

import pytest

from retrieval.engine import Engine
from tests.conftest import DATA

REAL_DOCS = DATA / "docs" / "corpus"


@pytest.fixture(scope="session")
def docs_engine() -> Engine:
    """tests/data/docs/corpus (Markdown, HTML, PDF, reStructuredText): extracting its PDFs takes seconds."""
    return Engine.load(REAL_DOCS)
