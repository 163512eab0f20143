"""English and Spanish for the bot's own words: its sentences (`say`) and its commands (`command_text`).

Pure data and lookups, no discord import: the Discord layer picks the language from the user's
client locale (`language`), the terminal stays English. Quotes from the corpus are never translated.
"""

from bot.i18n.catalogue import LANGUAGES, MESSAGES, language, say, say_count, say_error
from bot.i18n.commands import COMMAND_TEXT, command_text

__all__ = ["COMMAND_TEXT", "LANGUAGES", "MESSAGES", "command_text", "language", "say", "say_count", "say_error"]
