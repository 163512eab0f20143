"""Citations of structured documents in Discord: heading path, page, code in a fence, a row under its header."""

from __future__ import annotations

import re
from dataclasses import replace

import discord
from jsonschema import Draft202012Validator

from bot.cli.terminal import format_quote
from bot.discord.ask.render import answer_embed, sources_embed
from retrieval.models import Answer
from tests.bot.discord.test_render import (
    assert_sendable,
    discord_violations,
    embed_schema,
    make_answer,
    make_quote,
    markup_problems,
)

__all__ = ["embed_schema"]  # the module-scoped schema fixture, shared with test_render


def assert_sendable_with_code(embed: discord.Embed, schema: Draft202012Validator) -> None:
    """`assert_sendable`, the inside of code fences aside: there every character is shown as written."""
    payload = embed.to_dict()
    assert discord_violations(payload) == [] and list(schema.iter_errors(payload)) == []
    outside = re.sub(r"```\n[\s\S]*?\n```", "", payload["description"])
    assert "```" not in outside and markup_problems(outside) == [], outside


def answer_of(*quotes: object) -> Answer:
    return replace(make_answer(), quotes=tuple(quotes), conflicts=())


def test_citation_shows_the_heading_path_and_page(embed_schema: Draft202012Validator) -> None:
    quote = make_quote(
        "Set PYTHON_DOTENV_DISABLED=1 to disable it.",
        title="python-dotenv",
        heading_path=("python-dotenv", "Other Use Cases", "Disable load_dotenv"),
        highlights=(),
    )
    pdf = make_quote("Missing values are encoded as strings.", title="The jsonlite Package", page=7, highlights=())
    embed = answer_embed(answer_of(quote, pdf))
    assert "[python-dotenv › Other Use Cases › Disable load\\_dotenv](" in embed.description
    assert "[The jsonlite Package](" in embed.description and "· p. 7" in embed.description
    assert_sendable(embed, embed_schema)


def test_code_is_fenced_whole_and_a_table_row_comes_under_its_header(embed_schema: Draft202012Validator) -> None:
    code = make_quote(
        "$ pip install httpx[http2]", kind="code", lead="Or, to include the optional HTTP/2 support, use:"
    )
    row = make_quote("| `--fast` | Skips the slow checks. |", kind="table", lead="| Option | Effect |", highlights=())
    embed = answer_embed(answer_of(code, row))
    fenced = "> Or, to include the optional HTTP/2 support, use:\n```\n$ pip install httpx[http2]\n```"
    assert fenced in embed.description
    assert "> \\| Option \\| Effect \\|\n> \\| \\`--fast\\` \\|" in embed.description
    assert_sendable_with_code(embed, embed_schema)
    hostile = make_quote("print('```@everyone```')\n" * 3, kind="code")
    assert_sendable_with_code(answer_embed(answer_of(hostile)), embed_schema)
    long_code = make_quote("x = 1\n" * 2000, kind="code")
    fitted = answer_embed(answer_of(long_code)).description
    assert fitted.count("```") == 2 and "…\n```" in fitted  # cut inside the fence, never the fence itself
    terminal = format_quote(code, 1)
    assert "  > Or, to include the optional HTTP/2 support, use:\n  | $ pip install httpx[http2]" in terminal


def test_sources_footer_names_skipped_files(embed_schema: Draft202012Validator) -> None:
    record = {"doc_id": "a", "title": "A", "date": None, "url": "", "passages": 1, "sentences": 1}
    embed = sources_embed([record], corpus_version="abcdef123456", skipped="1 file skipped: x.pdf (it is encrypted)")
    assert embed.footer.text == "corpus abcdef12 · 1 file skipped: x.pdf (it is encrypted)"
    assert_sendable(embed, embed_schema)
