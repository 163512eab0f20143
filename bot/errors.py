"""The project's own exceptions: what can go wrong that a user or an operator must be told about.

Services raise these; the CLI prints their message and exits 1, the cogs turn them into private
replies. Anything else is a bug and reaches the process log with its traceback.
"""

from __future__ import annotations


class CorpusbotError(Exception):
    """Base of every error whose message is meant for the person who caused or must fix it.

    ``key`` (with ``values``) names the same sentence in the message catalogue (`bot.i18n`), so Discord can
    say it in the user's language; the message itself stays English for the terminal and the logs.
    """

    def __init__(self, message: str = "", key: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class BadFilter(CorpusbotError, ValueError):
    """A filter or date bound that cannot be used (a malformed date, a negative limit, since after until)."""


class UnusableFile(CorpusbotError, ValueError):
    """A file named on the command line that is missing, unreadable, unwritable or not in the expected form."""


class CorpusUnreadable(CorpusbotError):
    """The corpus folder is missing, unreadable or holds no readable document."""


class StorageUnavailable(CorpusbotError):
    """The database could not be opened, or the bot runs without one."""
