"""The process log: text and JSON lines with request extras, and never the Discord token."""

from __future__ import annotations

import json
import logging

import pytest

from bot.discord.app import CorpusBot
from bot.logconfig import JsonFormatter, TextFormatter, configure_logging
from tests.bot.conftest import bot_settings
from tests.fakediscord import connected, running_fake_discord

TOKEN = "MTk4NjIyNDgzNDcxOTI1MjQ4.Gx7Kq2.distinctive-secret-token-value"


def record(message: str = "answered", exc: bool = False, **extras: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:
            exc_info = (type(error), error, error.__traceback__)
    made = logging.LogRecord("bot.services.corpus", logging.INFO, __file__, 1, message, (), exc_info)
    made.__dict__.update(extras)
    return made


def test_json_lines_carry_level_logger_message_and_extras() -> None:
    line = JsonFormatter().format(record(guild_id=11, channel_id=22, latency_ms=35, user_id=None))
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger", "message")} == {
        "level": "INFO",
        "logger": "bot.services.corpus",
        "message": "answered",
    }
    assert (entry["guild_id"], entry["channel_id"], entry["latency_ms"]) == (11, 22, 35)
    assert "user_id" not in entry and entry["ts"].endswith("Z")


def test_json_without_extras_and_with_a_traceback_is_one_line() -> None:
    line = JsonFormatter().format(record(exc=True))
    entry = json.loads(line)
    assert "\n" not in line and "guild_id" not in entry
    assert "RuntimeError: boom" in entry["exc"]


def test_text_lines_show_extras_after_the_message() -> None:
    line = TextFormatter().format(record(guild_id=11, latency_ms=35))
    assert line.endswith("bot.services.corpus: answered [guild_id=11 latency_ms=35]")
    assert "[" not in TextFormatter().format(record())


def test_configure_logging_json_writes_json_to_stderr(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("bot.test").info("hello %s", "there", extra={"channel_id": 5})
    logging.getLogger("bot.test").debug("not shown at INFO")
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["hello there"]
    assert json.loads(lines[0])["channel_id"] == 5


@pytest.mark.parametrize("fmt", ["text", "json"])
async def test_the_token_never_reaches_the_log(
    restore_logging: None,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    fmt: str,
) -> None:
    configure_logging("DEBUG", fmt)
    root = logging.getLogger()
    root.addHandler(caplog.handler)  # configure_logging removed it
    async with running_fake_discord(token=TOKEN) as fake:
        bot = CorpusBot(bot_settings(discord_token=TOKEN))
        async with connected(bot, fake, bot.settings.discord_token.get_secret_value()):
            answer = await (await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"})).wait_for_answer()
        assert answer.embeds
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "connected as" in logged and "answered=True" in logged  # the log did record the session
    assert TOKEN not in logged and TOKEN.split(".")[-1] not in logged
