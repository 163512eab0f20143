"""`corpusbot` in its own process, pointed at a fake Discord: for tests of signals and exit codes.

Usage: ``python -m tests.bot.discord.run_on_fake REST_BASE GATEWAY_URL COMMAND [ARGS...]``
"""

from __future__ import annotations

import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.cli.main import main


def run(argv: list[str]) -> int:
    """Patch discord.py's two URLs, then run the real CLI (and so the real `run_bot`)."""
    Route.BASE = argv[0]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(argv[1])
    return main(argv[2:])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
