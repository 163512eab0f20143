"""Autocomplete choices as Discord takes them."""

from __future__ import annotations

from discord import app_commands

CHOICE_LIMIT = 100  # Discord's limit on a choice's name and value


def name_choices(names: list[str]) -> list[app_commands.Choice[str]]:
    """Completions (from the corpus service) as choices.

    A text longer than Discord's 100 characters is left out, never cut: choosing a cut choice would
    silently shorten what the user typed.
    """
    return [app_commands.Choice(name=text, value=text) for text in names if len(text) <= CHOICE_LIMIT]
