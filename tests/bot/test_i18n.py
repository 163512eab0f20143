"""The catalogue: both languages for every sentence, the same placeholders in each, locale mapping."""

from __future__ import annotations

import string

from bot.i18n import COMMAND_TEXT, MESSAGES, language, say


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
