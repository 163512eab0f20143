"""B9: owner-only files whatever the umask; one-line errors for bad dates, symlink loops, broken databases."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.bot.cli.test_cli import log_questions

pytestmark = pytest.mark.usefixtures("restore_logging")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The widest umask an operator could run under: without explicit modes everything is world-readable."""
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_database_export_and_reload_files_are_owner_only(isolated_settings: Path, tmp_path: Path) -> None:
    log_questions("Who is Steve Ellner?")
    database = isolated_settings
    assert mode(database.parent) == 0o700
    created = [p for p in database.parent.iterdir() if p.is_file()]
    assert database in created
    assert {p.name: mode(p) for p in created} == {p.name: 0o600 for p in created}
    assert main(["logs", "export", "-o", str(tmp_path / "rows.jsonl")]) == 0
    assert mode(tmp_path / "rows.jsonl") == 0o600
    assert main(["reload"]) == 0
    assert mode(database.with_name(database.name + ".reload")) == 0o600


def test_an_existing_world_readable_database_is_narrowed_when_opened(isolated_settings: Path) -> None:
    log_questions("Who is Steve Ellner?")
    os.chmod(isolated_settings, 0o644)
    log_questions("Who is Ricardo Vaz?")
    assert mode(isolated_settings) == 0o600


@pytest.mark.parametrize(
    "argv",
    [
        ["logs", "--since", "0001-01-01T00:00+14:00"],
        ["logs", "--until", "9999-12-31T23:59-14:00"],
        ["logs", "purge", "--before", "0001-01-01T00:00+14:00"],
    ],
)
def test_out_of_range_dates_are_one_line_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "out of range" in err and "Traceback" not in err


def test_the_last_day_is_a_valid_upper_bound(capsys: pytest.CaptureFixture[str]) -> None:
    log_questions("Who is Steve Ellner?")
    assert main(["logs", "--since", "0001-01-01", "--until", "9999-12-31", "--json"]) == 0
    assert "Steve Ellner" in capsys.readouterr().out


def test_a_corpus_folder_that_is_a_symlink_loop_is_named_as_such(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loop = tmp_path / "corpus"
    loop.symlink_to(loop)
    monkeypatch.setenv("CORPUSBOT_CORPUS_DIR", str(loop))
    assert main(["ask", "Who is Steve Ellner?"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "symbolic link loop" in err


@pytest.mark.parametrize("content", [b"\x00garbage" * 600, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_malformed_database_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], isolated_settings: Path, content: bytes
) -> None:
    isolated_settings.parent.mkdir(parents=True)
    isolated_settings.write_bytes(content)
    assert main(["logs"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(isolated_settings) in err and "Traceback" not in err
