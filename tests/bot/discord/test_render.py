"""Rendering: Discord's limits hold for hostile input, and the markup we emit is always well-formed."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import discord
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.discord.ask.render import (
    ABSTAINED_COLOUR,
    ANSWERED_COLOUR,
    ERROR_COLOUR,
    answer_embed,
    context_embed,
    error_embed,
    escape,
    fit_content,
    fit_embed,
    help_embed,
    next_start,
    sources_embed,
)
from bot.discord.ui.markup import highlighted, safe_url, truncate
from retrieval.models import Answer, Conflict, Quote

SPEC = Path(__file__).parents[2] / "fixtures" / "discord" / "openapi.json"
LIMITS = {"title": 256, "description": 4096, "field.name": 256, "field.value": 1024, "footer": 2048}
HOSTILE = [
    "x" * 10_000,
    "word " * 2_500,
    "Title\nwith\r\nnewlines\u2028and\ttabs " * 40,
    "👨‍👩‍👧‍👦🇺🇸🇬🇧 é̂ ‏مرحبا‎ \u202eevil\u202c zero\u200bwidth " * 150,
    "**bold** __u__ ~~s~~ ||spoiler|| `tick` ```code``` \\ [x](y) *a* _b_ " * 100,
    "@everyone @here <@123> <@!456> <@&5> <#7> </cmd:1> " * 100,
    "> quote\n# head\n- item\n1. one\n>>> all " * 200,
    "see https://example.com/a_(b)_c#:~:text=x%20(y) now " * 100,
]


def discord_violations(payload: dict[str, Any]) -> list[str]:
    """Check an embed dict the way Discord does: per-part limits plus the 6000 total over the same parts."""
    parts = {
        "title": payload.get("title") or "",
        "description": payload.get("description") or "",
        "footer": (payload.get("footer") or {}).get("text") or "",
        "author": (payload.get("author") or {}).get("name") or "",
    }
    problems = [f"{key} {len(text)}" for key, text in parts.items() if len(text) > LIMITS.get(key, 256)]
    fields = payload.get("fields") or []
    if len(fields) > 25:
        problems.append(f"{len(fields)} fields")
    for field in fields:
        for key in ("name", "value"):
            if not field[key] or len(field[key]) > LIMITS[f"field.{key}"]:
                problems.append(f"field {key} {len(field[key])}")
    total = sum(map(len, parts.values())) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        problems.append(f"total {total}")
    return problems


def markup_problems(markdown: str) -> list[str]:
    """Markup the renderer must never emit: unescaped user markdown, broken links, odd bold, live mentions."""
    inert = re.sub(r"\\[\s\S]", "", markdown)  # escape pairs render literally
    links = re.findall(r"\[[^\[\]\n]*\]\(([^()\s]*)\)", inert)
    rest = re.sub(r"https?://[^\s<]+", "", re.sub(r"\[[^\[\]\n]*\]\([^()\s]*\)", "", inert))
    problems = [f"stray {char!r}" for char in "[]`_~|\\" if char in rest]
    if rest.count("*") != 2 * rest.count("**") or rest.count("**") % 2:
        problems.append("unbalanced bold")
    if re.search(r"(?m)^\*\*\*\*|\*\*\*\*", rest):
        problems.append("empty bold")
    labels_only = re.sub(r"\]\([^()\s]*\)", "]", inert)  # link targets are never shown
    if re.search(r"@(everyone|here)|<[@#]", labels_only, re.IGNORECASE):
        problems.append("mention")
    problems += [f"bad link {url}" for url in links if not url.startswith("http")]
    return problems


@pytest.fixture(scope="module")
def embed_schema() -> Draft202012Validator:
    """Discord's own schema for a rich embed, so a typo'd key or an over-long part fails here too."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    registry = Registry().with_resource("urn:discord", Resource(document, DRAFT202012))
    ref = {"$ref": "urn:discord#/components/schemas/RichEmbed"}
    return Draft202012Validator(ref, registry=registry)


def assert_sendable(embed: discord.Embed, schema: Draft202012Validator) -> None:
    payload = embed.to_dict()
    assert discord_violations(payload) == []
    assert [error.message for error in schema.iter_errors(payload)] == []
    for text in [payload.get("description") or "", *(f["value"] for f in payload.get("fields", []))]:
        assert markup_problems(text) == [], text[-300:]


def make_quote(text: str = "the reported death toll to roughly 106 people", **changes: Any) -> Quote:
    quote = Quote(
        text=text,
        doc_id="d1",
        title="CIA strike on dock",
        date=date(2025, 12, 29),
        url="https://example.com/news/strike#:~:text=roughly%20106",
        line_start=4,
        line_end=5,
        score=0.9,
        highlights=((27, 38),),
    )
    return replace(quote, **changes)


def make_answer(**changes: Any) -> Answer:
    answer = Answer(
        question="What was the death toll?",
        answered=True,
        reason=None,
        quotes=(make_quote(), make_quote("at least 115 people died", date=date(2026, 1, 6), highlights=())),
        conflicts=(
            Conflict("death toll", (("roughly 106", date(2025, 12, 29), 0), ("at least 115", date(2026, 1, 6), 1))),
        ),
        confidence=0.873,
        corpus_version="1a2b3c4d5e6f7a8b",
    )
    return replace(answer, **changes)


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("answered", [True, False])
def test_hostile_answers_fit_and_keep_markup_well_formed(
    text: str, answered: bool, embed_schema: Draft202012Validator
) -> None:
    quote = make_quote(
        text,
        title=text[:1000],
        url="https://example.com/a_(b)#:~:text=" + text[:300],
        highlights=((0, 7), (5, 40), (len(text) - 9, len(text) + 5), (-3, 2)),
    )
    pool = (quote,) * 1000
    answer = make_answer(
        question=text[:1000],
        answered=answered,
        reason=text[:2000],
        quotes=pool[:3],
        more=pool,
        suggestions=pool,
        notice=text[:600],
        conflicts=(Conflict(text[:300], tuple((text[:200], None, i) for i in range(50))),),
    )
    for start in (0, 3, 999):
        embed = answer_embed(answer, start=start, show=10)
        assert_sendable(embed, embed_schema)
        assert (embed.description or "").count("\n— ") >= 1, "every shown quote keeps its citation"
    assert_sendable(context_embed(quote, text * 2, (100, 5000)), embed_schema)
    assert_sendable(error_embed(text), embed_schema)


def test_every_quote_on_a_page_keeps_its_citation() -> None:
    long = make_quote("word " * 2000, highlights=((0, 4),))
    embed = answer_embed(make_answer(quotes=(long, long, long)))
    assert (embed.description or "").count("— [CIA strike on dock](https://example.com/") == 3


def test_highlights_are_bold_and_text_is_quoted() -> None:
    description = answer_embed(make_answer()).description or ""
    assert "> the reported death toll to **roughly 106** people" in description
    assert "> at least 115 people died" in description


def test_highlight_never_crosses_a_quote_line_or_a_url() -> None:
    text = "first line ends\nsecond line at https://x.y/page here"
    rendered = highlighted(text, [(6, 22), (33, 40)])
    assert rendered == "first **line ends**\n**second** line at https://x.y/page here"


def test_line_start_escapes_apply_only_at_real_line_starts() -> None:
    text = "toll - # 1. figures\n- listed\n> quoted"
    assert highlighted(text, [(0, 4)]) == "**toll** - # 1. figures\n\\- listed\n\\> quoted"


def test_multiline_quote_is_quoted_on_every_line() -> None:
    quote = make_quote("first paragraph\n\n\nsecond paragraph\nthird", highlights=((6, 34),))
    description = answer_embed(make_answer(quotes=(quote,), conflicts=())).description or ""
    assert description.startswith("> first **paragraph**\n> **second paragraph**\n> third\n— [CIA")


def test_citation_line_links_title_with_date_and_undated() -> None:
    description = answer_embed(make_answer(quotes=(make_quote(), make_quote(date=None)))).description or ""
    link = "[CIA strike on dock](https://example.com/news/strike#:~:text=roughly%20106)"
    assert f"— {link} · 2025-12-29" in description
    assert f"— {link} · undated" in description


def test_url_parentheses_are_encoded_and_title_brackets_escaped() -> None:
    quote = make_quote(title="Strike [update] (live)", url="https://en.wikipedia.org/wiki/A_(b)#:~:text=x%20(y)")
    description = answer_embed(make_answer(quotes=(quote,))).description or ""
    assert "[Strike \\[update\\] (live)](https://en.wikipedia.org/wiki/A_%28b%29#:~:text=x%20%28y%29)" in description


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://x.y/z", "not a url"])
def test_non_web_urls_render_the_title_without_a_link(url: str) -> None:
    assert safe_url(url) is None
    description = answer_embed(make_answer(quotes=(make_quote(url=url),))).description or ""
    assert "— CIA strike on dock · 2025-12-29" in description


def test_footer_shows_confidence_and_short_corpus_version() -> None:
    assert answer_embed(make_answer()).footer.text == "Confidence 87% · corpus 1a2b3c4d"


def test_conflict_line_gives_each_figure_with_its_date() -> None:
    description = answer_embed(make_answer()).description or ""
    assert "⚖️ Sources differ on death toll: “roughly 106” (2025-12-29) · “at least 115” (2026-01-06)" in (description)


def test_notice_is_shown() -> None:
    embed = answer_embed(make_answer(notice="Your question was cut to 500 characters."))
    assert "Your question was cut to 500 characters." in (embed.description or "")


def test_typo_correction_is_shown() -> None:
    embed = answer_embed(make_answer(corrected="Who is Maduro?"))
    assert "🔎 Showing results for “Who is Maduro?”" in (embed.description or "")
    assert "Showing results" not in (answer_embed(make_answer()).description or "")


def test_abstention_looks_different_and_shows_reason_and_suggestions() -> None:
    answered = answer_embed(make_answer())
    abstained = answer_embed(
        make_answer(answered=False, reason="Nothing in the corpus mentions a cup.", suggestions=(make_quote(),))
    )
    assert abstained.colour == ABSTAINED_COLOUR != answered.colour == ANSWERED_COLOUR
    assert abstained.title == "Not in the corpus: What was the death toll?"
    description = abstained.description or ""
    assert description.startswith("Nothing in the corpus mentions a cup.")
    assert "**Closest passages**\n> the reported death toll to **roughly 106** people" in description


def test_reasons_and_notices_follow_their_codes_in_the_users_language() -> None:
    hostile = ("**Ham**", "@everyone")
    refused = make_answer(
        answered=False,
        reason="The corpus does not seem to cover this: … mentions '**Ham**', '@everyone', …",
        reason_code="not_mentioned",
        reason_terms=hostile,
        notice="Your question was longer than 500 characters; I used its beginning.",
        notice_code="question_cut",
        cut_at=500,
        corrected="Who is *Maduro*?",
        suggestions=(make_quote(),),
    )
    spanish = answer_embed(refused, lang="es").description or ""
    assert spanish.startswith("El corpus no parece tratar esto: ningún pasaje que coincida con tu pregunta menciona")
    assert "«\\*\\*Ham\\*\\*», «@\u200beveryone»" in spanish and markup_problems(spanish) == []
    assert "ℹ️ Tu pregunta tenía más de 500 caracteres; usé su comienzo." in spanish
    assert "🔎 Resultados para «Who is \\*Maduro\\*?»" in spanish
    english = answer_embed(refused).description or ""
    assert english.startswith("The corpus does not seem to cover this: no passage that matches your question also")
    assert "“\\*\\*Ham\\*\\*”, “@\u200beveryone”" in english
    # A code this version does not know keeps the composer's English words rather than saying nothing.
    unknown = answer_embed(replace(refused, reason="Some new reason.", reason_code="novel"), lang="es")
    assert (unknown.description or "").startswith("Some new reason.")


def test_abstention_without_suggestions_says_so() -> None:
    embed = answer_embed(make_answer(answered=False, reason="Too vague.", suggestions=(), conflicts=()))
    assert embed.description == "Too vague.\n\n**Closest passages**\nNo passage came close."


def test_more_pages_through_quotes_then_more() -> None:
    more = tuple(make_quote(f"extra quote number {i}", highlights=()) for i in range(5))
    answer = make_answer(more=more)
    assert next_start(answer) == 3
    second = answer_embed(answer, start=3)
    assert "extra quote number 1" in (second.description or "")
    assert "extra quote number 3" in (second.description or "")
    assert "Sources differ" not in (second.description or "")
    assert (second.footer.text or "").endswith("quotes 4–6 of 7")
    assert next_start(answer, 3) == 6
    assert next_start(answer, 6) is None


def test_context_bolds_the_quote_inside_a_long_paragraph() -> None:
    quote_text = "the strike killed eleven people"
    paragraph = "lead " * 3000 + quote_text + " tail" * 3000
    start = paragraph.index(quote_text)
    embed = context_embed(make_quote(quote_text), paragraph, (start, start + len(quote_text)))
    description = embed.description or ""
    assert f"**{quote_text}**" in description
    assert description.startswith("> …lead")
    assert embed.title == "Context: CIA strike on dock"
    assert embed.footer.text == "2025-12-29 · lines 4–5"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("**x** __y__ ~~z~~ ||s|| `c`", "\\*\\*x\\*\\* \\_\\_y\\_\\_ \\~\\~z\\~\\~ \\|\\|s\\|\\| \\`c\\`"),
        ("@everyone and @here", "@\u200beveryone and @\u200bhere"),
        ("<@123> <@&5> <#9>", "\\<@123> \\<@&5> \\<#9>"),
        ("[click](https://evil.example)", "\\[click\\](https://evil.example)"),
        ("  - indented\n   # head", "\\- indented\n\\# head"),
        (
            "> not a quote\n# not a heading\n1. not a list",
            "\\> not a quote\n\\# not a heading\n1\\. not a list",
        ),
    ],
)
def test_escape(raw: str, expected: str) -> None:
    assert escape(raw) == expected


def test_escape_inline_folds_layout_breakers() -> None:
    assert escape("A\ntitle\r\n\twith\u2028breaks \u202eflip\x00", inline=True) == "A title with breaks flip"


SAMPLE = "> **bold words** then [a link](https://x.y/a%28b%29) and \\*escaped\\* `code here` end\n> more"


@pytest.mark.parametrize("limit", range(len(SAMPLE) + 1))
def test_truncate_never_breaks_markup(limit: int) -> None:
    cut = truncate(SAMPLE, limit)
    assert len(cut) <= limit
    assert cut == SAMPLE or cut == "" or "…" in cut
    inert = re.sub(r"\\[\s\S]", "", cut)
    assert "\\" not in inert and inert.count("**") % 2 == 0 and inert.count("`") % 2 == 0
    assert inert.count("[") == inert.count("](https://x.y/a%28b%29)")
    assert not re.search(r"\*\*…?\*\*|^>…", cut)


def test_truncate_prefers_a_word_boundary() -> None:
    assert truncate("alpha beta gamma delta", 14) == "alpha beta…"


@pytest.mark.parametrize("cluster", ["👨\u200d👩\u200d👧\u200d👦", "🇺🇸", "e\u0301\u0302", "👍🏽", "ﷺ"])
def test_truncate_keeps_grapheme_clusters_whole(cluster: str) -> None:
    cut = truncate(cluster * 40, 23)
    assert cut.endswith("…") and len(cut) <= 23
    assert cut[:-1] == cluster * (len(cut[:-1]) // len(cluster))


def test_fit_embed_enforces_every_limit(embed_schema: Draft202012Validator) -> None:
    embed = discord.Embed(title="t" * 1000, description="**" + "d " * 5000 + "**", url="https://x.y/" + "a" * 3000)
    for i in range(40):
        embed.add_field(name=f"**name {i}** " * 50, value="v " * 2000)
    embed.add_field(name="", value="")
    embed.set_footer(text="f " * 3000)
    embed.set_author(name="a " * 500)
    fitted = fit_embed(embed)
    assert_sendable(fitted, embed_schema)
    assert len(fitted.fields) <= 25 and fitted.url is None
    assert (fitted.description or "").endswith("…**")


def test_fit_embed_leaves_small_embeds_alone() -> None:
    embed = discord.Embed(title="T", description="D", colour=ERROR_COLOUR).add_field(name="n", value="v")
    assert fit_embed(embed).to_dict() == embed.to_dict()


def test_fit_content_limits_plain_messages() -> None:
    content = fit_content("**" + "word " * 1000 + "**")
    assert len(content) <= 2000 and content.endswith("…**")


def test_sources_list_truncates_with_a_count(embed_schema: Draft202012Validator) -> None:
    source = {
        "doc_id": "d",
        "title": "Strike (update)\nsecond line",
        "date": "2025-12-29",
        "date_inferred": True,
        "url": "https://x.y/doc",
        "passages": 3,
        "sentences": 1,
        "sha256": "0" * 64,
    }
    sources = [source] * 499 + [{**source, "date": None, "date_inferred": False}]
    embed = sources_embed(sources, corpus_version="1a2b3c4d5e")
    assert_sendable(embed, embed_schema)
    description = embed.description or ""
    shown = description.count("\n• ") + 1
    assert description.startswith(
        "• [Strike (update) second line](https://x.y/doc) · 2025-12-29 (inferred) · 3 passages, 1 sentence"
    )
    assert description.endswith(f"… and {500 - shown} more")
    assert embed.title == "Sources · 500 documents" and embed.footer.text == "corpus 1a2b3c4d"
    assert "undated" in (sources_embed(sources[-1:], corpus_version="v").description or "")


def test_help_and_error_embeds() -> None:
    help_text = help_embed([("/ask", "Ask a question"), ("/sources", "List the documents")]).description or ""
    assert "**/ask** — Ask a question\n**/sources** — List the documents" in help_text
    error = error_embed("Search failed for **you** @everyone")
    assert error.colour == ERROR_COLOUR and error.colour not in (ANSWERED_COLOUR, ABSTAINED_COLOUR)
    assert error.description == "Search failed for \\*\\*you\\*\\* @\u200beveryone"
