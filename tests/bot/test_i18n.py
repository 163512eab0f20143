"""The catalogue: both languages for every sentence, the same placeholders in each, locale mapping, and
the keys the code and the services use all present."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.errors import BadFilter
from bot.i18n import COMMAND_TEXT, MESSAGES, language, say, say_error
from bot.i18n.admin import ADMIN_MESSAGES
from bot.i18n.answers import ANSWER_MESSAGES
from bot.i18n.moderation import MODERATION_MESSAGES
from bot.i18n.privacy import PRIVACY_MESSAGES
from bot.i18n.timeline import TIMELINE_MESSAGES
from bot.services.corpus import CorpusService
from bot.services.documents import skipped_summary
from bot.services.moderation import checked_since
from retrieval.answer.composer import FOREIGN, MAX_QUESTION_CHARS, NO_TERMS, USAGE, WEAK_MATCH
from retrieval.models import SkippedFile

ROOT = Path(__file__).resolve().parents[2]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_sentence_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == {"en", "es"}, key
        assert fields(entry["en"]) == fields(entry["es"]), key


def test_locales_map_to_languages() -> None:
    assert [language(code) for code in ("es-ES", "es-419", "en-US", "fr", None, "")] == [
        "es",
        "es",
        "en",
        "en",
        "en",
        "en",
    ]
    assert say("cooldown", "es", seconds=3).startswith("Estás preguntando")
    assert say("cooldown", "xx", seconds=3).startswith("You're asking")  # unknown language: English


def test_command_names_follow_discords_rules() -> None:
    names = [value for english, value in COMMAND_TEXT.items() if english == english.lower() and " " not in english]
    for name in names:
        assert name == name.lower() and " " not in name and 1 <= len(name) <= 32, name


def test_every_catalogue_key_has_a_spanish_sentence_and_no_part_overrides_another() -> None:
    assert [key for key, entry in MESSAGES.items() if not entry.get("es", "").strip()] == []
    parts = [ADMIN_MESSAGES, ANSWER_MESSAGES, MODERATION_MESSAGES, PRIVACY_MESSAGES, TIMELINE_MESSAGES]
    keys = [key for part in parts for key in part]
    assert len(keys) == len(set(keys))  # a key defined twice would silently lose one of its sentences
    assert set(keys) <= MESSAGES.keys()


def said_keys() -> set[str]:
    """Every key the bot's code passes to `say` / `say_count` as a literal (plural keys with their suffixes)."""
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            first = node.args[0]
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if node.func.id in ("say", "say_count") and literal:
                assert isinstance(first, ast.Constant)
                plural = node.func.id == "say_count"
                found.update({f"{first.value}_one", f"{first.value}_other"} if plural else {first.value})
    return found


def test_every_sentence_the_code_says_is_in_the_catalogue() -> None:
    used = said_keys()
    assert {"not_admin", "no_events", "reload_changed", "events_one", "not_yours"} <= used  # the scan sees them
    assert sorted(used - MESSAGES.keys()) == []


def test_every_refusal_code_of_the_composer_reads_the_same_in_english() -> None:
    """Discord's English is the terminal's: the catalogue repeats the composer's reasons word for word."""
    english = {"usage": USAGE, "no_terms": NO_TERMS, "foreign": FOREIGN, "weak_match": WEAK_MATCH}
    for code, reason in english.items():
        assert say(f"reason_{code}") == reason, code
        assert say(f"reason_{code}", "es") != reason, code
    named = say("reason_not_mentioned", words="“Hamlet”")
    assert named.startswith("The corpus does not seem to cover this") and "“Hamlet”" in named
    notice = say("notice_question_cut", limit=MAX_QUESTION_CHARS)
    assert notice == f"Your question was longer than {MAX_QUESTION_CHARS} characters; I used its beginning."


def test_service_errors_are_said_in_the_users_language() -> None:
    error = BadFilter("“since” must be a date …", "bad_since", value="yesterday")
    assert say_error(error, "es") == "«desde» debe ser una fecha como 2025-01-31 (o 2025-01-31T18:00), no «yesterday»."
    assert say_error(error).startswith("“since” must be a date like 2025-01-31")
    assert say_error(BadFilter("limit must be >= 0"), "es") == "limit must be >= 0"  # no key: its own message
    with pytest.raises(BadFilter) as raised:
        checked_since("31/01/2025")
    assert raised.value.key == "bad_since" and raised.value.values == {"value": "31/01/2025"}
    with pytest.raises(BadFilter) as reversed_bounds:
        CorpusService.check_bounds("2026", "2025-10")
    assert say_error(reversed_bounds.value, "es").startswith("`desde` (2026) es posterior a `hasta` (2025-10)")


def test_skipped_files_are_counted_in_the_users_language() -> None:
    skipped = [SkippedFile("a.pdf", "it is encrypted"), SkippedFile("b.xyz", "unsupported kind")]
    assert skipped_summary(skipped) == "2 files skipped: a.pdf (it is encrypted); b.xyz (unsupported kind)"
    assert skipped_summary(skipped, 1, "es") == "2 archivos omitidos: a.pdf (it is encrypted); … y 1 más"
