"""discord.py's command translator, backed by `bot.i18n.commands`.

Spanish names and descriptions for Spanish clients, everything else in English.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.i18n import command_text, language

logger = logging.getLogger(__name__)


class CatalogueTranslator(app_commands.Translator):
    """Spanish for the locales Discord calls Spanish (es-ES, es-419); None (Discord shows English) otherwise."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        """The Spanish for ``string`` when the locale is Spanish, else None."""
        if language(locale) != "es":
            return None
        translated = command_text(string.message)
        if translated is None:
            logger.debug("no Spanish for %r (%s)", string.message, context.location)
        return translated
