"""How every interface names the accepted kinds of documents and the files a corpus skipped."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import say, say_count
from retrieval.corpus.readers import readers
from retrieval.models import SkippedFile


def accepted_kinds() -> list[str]:
    """One line per reader: its extensions and what it gives (for --help and error messages)."""
    return [f"{' '.join(reader.suffixes):<16} {reader.gives}" for reader in readers()]


def skipped_line(skipped: SkippedFile) -> str:
    """``name (reason)``: one skipped file, as every interface names it."""
    return f"{skipped.name} ({skipped.reason})"


def skipped_summary(skipped: Sequence[SkippedFile], limit: int | None = None, lang: str = "en") -> str:
    """``"2 files skipped: a.pdf (it is encrypted); b.docx (unsupported kind …)"``, or "" when none.

    Discord says the count in ``lang``; each file's reason is the reader's own (English) diagnosis.
    """
    if not skipped:
        return ""
    shown = skipped if limit is None else skipped[:limit]
    rest = len(skipped) - len(shown)
    more = say("skipped_more", lang, count=rest) if rest else ""
    return say_count("skipped_files", len(skipped), lang) + "; ".join(skipped_line(s) for s in shown) + more
