"""Autocomplete choices as Discord takes them."""

from __future__ import annotations

from discord import app_commands

CHOICE_LIMIT = 100  # Discord's limit on a choice's name and value


def name_choices(names: list[str]) -> list[app_commands.Choice[str]]:
    """Completions (from the corpus service) as choices within Discord's 100-character limit."""
    return [app_commands.Choice(name=text[:CHOICE_LIMIT], value=text[:CHOICE_LIMIT]) for text in names]
