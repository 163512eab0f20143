"""Moderator and privacy screens as Discord embeds: log pages, statistics, channel config, privacy notice.

Pure functions like `bot.discord.ask.render`: no client, no database. Questions were typed by strangers, so every
piece of stored text is escaped before it is shown, and every embed passes through `fit_embed`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

import discord

from bot.discord.ui.fit import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, fit_embed
from bot.discord.ui.markup import clip, escape, sanitize, truncate
from bot.discord.ui.style import ABSTAINED_COLOUR, ANSWERED_COLOUR, MODERATOR_COLOUR
from bot.i18n import say, say_count
from bot.records import ChannelConfig, GuildStats, LogRow, SourceRef

logger = logging.getLogger(__name__)

ROWS_PER_PAGE = 6
DAYS_SHOWN = 14
_QUESTION_CHARS = 300
_LIST_ITEM_CHARS = 90
_BAR_WIDTH = 12
_BLOCK_LIMIT = (DESCRIPTION_LIMIT - 300) // ROWS_PER_PAGE  # each row keeps its share of the page


def when(moment: datetime) -> str:
    """A Discord timestamp: every reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:f>"


def channel_ref(channel_id: int | None, lang: str = "en") -> str:
    """A channel mention (Discord shows its name), or a plain note when there is none."""
    return f"<#{channel_id}>" if channel_id is not None else say("no_channel", lang)


def source_ref(source: SourceRef | str, titles: Mapping[str, str]) -> str:
    """`Title` (`doc:L1-L2`): the title when the corpus still has the document, always the exact span."""
    doc_id = source.doc_id if isinstance(source, SourceRef) else source
    span = sanitize(str(source), inline=True).replace("`", "")
    title = titles.get(doc_id)
    return f"{escape(clip(title, 80), inline=True)} (`{span}`)" if title else f"`{span}`"


def _votes(up: int, down: int) -> str:
    return f"👍 {up} 👎 {down}"


def _row_block(row: LogRow, titles: Mapping[str, str], lang: str) -> str:
    """Time, channel, user, question, outcome, top source and feedback of one logged question."""
    who = f"<@{row.user_id}>" if row.user_id is not None else say("user_not_logged", lang)
    via = say("via", lang, interface=escape(row.interface, inline=True))
    head = f"{when(row.ts)} · {channel_ref(row.channel_id, lang)} · {who} · {via}"
    if row.question is None:
        question = say("question_not_logged", lang)
    else:
        question = "> " + (escape(clip(row.question, _QUESTION_CHARS), inline=True) or say("empty_question", lang))
    outcome = say("row_answered" if row.answered else "row_abstained", lang)
    top = say("top_source", lang, source=source_ref(row.sources[0], titles)) if row.sources else None
    top = top or say("no_source", lang)
    return truncate(f"{head}\n{question}\n{outcome} · {top} · {_votes(row.votes_up, row.votes_down)}", _BLOCK_LIMIT)


def scope_line(
    *,
    channel_id: int | None = None,
    user_id: int | None = None,
    since: str | None = None,
    unanswered: bool = False,
    text: str | None = None,
    lang: str = "en",
) -> str:
    """The filters in words (markdown, user text escaped), shown above results and in export replies."""
    parts = [say("scope_server", lang)]
    if channel_id is not None:
        parts.append(say("scope_in", lang, channel=channel_ref(channel_id, lang)))
    if user_id is not None:
        parts.append(say("scope_from", lang, user=f"<@{user_id}>"))
    if since:
        parts.append(say("scope_since", lang, since=escape(since, inline=True)))
    if unanswered:
        parts.append(say("scope_unanswered", lang))
    if text:
        parts.append(say("scope_text", lang, text=escape(clip(text, 100), inline=True)))
    return " · ".join(parts)


def log_pages(
    rows: Sequence[LogRow],
    total: int,
    *,
    scope: str,
    titles: Mapping[str, str],
    per_page: int = ROWS_PER_PAGE,
    lang: str = "en",
) -> list[discord.Embed]:
    """The rows as embeds of ``per_page``, newest first; ``total`` may exceed ``len(rows)`` (capped).

    ``scope`` is markdown from `scope_line`.
    """
    title = say("log_title", lang, questions=say_count("questions", total, lang))
    if not rows:
        description = say("log_none", lang, scope=scope)
        return [fit_embed(discord.Embed(title=title, description=description, colour=MODERATOR_COLOUR))]
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
    shown = say("log_capped", lang, shown=len(rows), total=total) if total > len(rows) else ""
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        body = "\n\n".join(_row_block(row, titles, lang) for row in chunk)
        embed = discord.Embed(title=title, description=f"{scope}\n\n{body}", colour=MODERATOR_COLOUR)
        embed.set_footer(text=shown + say("page_of", lang, page=number, pages=len(chunks)))
        pages.append(fit_embed(embed))
    logger.debug("rendered %d log rows on %d pages", len(rows), len(pages))
    return pages


def _ranked(items: Sequence[tuple[str, int]], label: Mapping[str, str] | None = None) -> str:
    """`n× item` lines as long as they fit in one field; ``label`` turns a document id into its reference."""
    lines: list[str] = []
    used = 0
    for key, count in items:
        text = source_ref(key, label) if label is not None else escape(clip(key, _LIST_ITEM_CHARS), inline=True)
        line = f"**{count}×** {text}"
        if used + len(line) + 1 > FIELD_VALUE_LIMIT:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines) or "—"


def _per_day(days: Sequence[tuple[str, int]]) -> str:
    """The last days as a small bar chart in a code block (aligned in every client)."""
    recent = list(days)[-DAYS_SHOWN:]
    if not recent:
        return "—"
    peak = max(count for _, count in recent)
    bars = [f"{day} {'█' * max(1, round(count / peak * _BAR_WIDTH)):<{_BAR_WIDTH}} {count}" for day, count in recent]
    return "```\n" + "\n".join(bars) + "\n```"


def stats_embed(stats: GuildStats, *, scope: str, titles: Mapping[str, str], lang: str = "en") -> discord.Embed:
    """Usage, answer rate, feedback, most asked questions and sources, and what the corpus lacks."""
    overview = say(
        "stats_overview",
        lang,
        total=stats.total,
        answered=stats.answered,
        rate=f"{stats.answer_rate:.0%}",
        votes=_votes(stats.votes_up, stats.votes_down),
    )
    if stats.refusal_votes_up or stats.refusal_votes_down:
        overview += "\n" + say("stats_refusals", lang, up=stats.refusal_votes_up, down=stats.refusal_votes_down)
    embed = discord.Embed(title=say("stats_title", lang), description=f"{scope}\n\n{overview}")
    embed.colour = MODERATOR_COLOUR
    per_channel = [(channel_ref(channel, lang), count) for channel, count in stats.per_channel[:10]]
    embed.add_field(name=say("per_channel", lang), value="\n".join(f"{ref} — {n}" for ref, n in per_channel) or "—")
    embed.add_field(name=say("per_day", lang, days=DAYS_SHOWN), value=_per_day(stats.per_day), inline=False)
    embed.add_field(name=say("most_asked", lang), value=_ranked(stats.top_questions), inline=False)
    embed.add_field(name=say("most_quoted", lang), value=_ranked(stats.top_sources, titles), inline=False)
    embed.add_field(name=say("gaps", lang), value=_ranked(stats.gaps), inline=False)
    if stats.disputed_gaps:
        embed.add_field(name=say("disputed_gaps", lang), value=_ranked(stats.disputed_gaps), inline=False)
    embed.set_footer(text=say("stats_footer", lang))
    return fit_embed(embed)


def _switch(on: bool, lang: str) -> str:
    return say("on" if on else "off", lang)


def config_embed(
    config: ChannelConfig,
    *,
    global_private: bool,
    others: Sequence[ChannelConfig],
    changed: bool = False,
    lang: str = "en",
) -> discord.Embed:
    """One channel's switches (and which other channels of the server differ from the defaults)."""
    default = say("private_word" if global_private else "public_word", lang)
    if config.private_by_default is None:
        answers = say("server_default", lang, default=default)
    else:
        answers = say("private_word" if config.private_by_default else "public_word", lang)
    lines = [
        say("config_bot", lang, state=_switch(config.enabled, lang)),
        say("config_logging", lang, state=_switch(config.log_questions, lang))
        + ("" if config.log_questions else say("config_counts_only", lang)),
        say("config_answers", lang, answers=answers),
        say("config_threads", lang, state=_switch(config.threads, lang))
        + (say("config_threads_note", lang) if config.threads else ""),
        say("config_forum", lang, state=_switch(config.forum, lang)),
    ]
    embed = discord.Embed(
        title=say("config_updated" if changed else "config_title", lang),
        description=f"{channel_ref(config.channel_id, lang)}\n\n" + "\n".join(lines),
        colour=ANSWERED_COLOUR if config.enabled else ABSTAINED_COLOUR,
    )
    listed = [
        say(
            "config_other_line",
            lang,
            channel=channel_ref(other.channel_id, lang),
            enabled=_switch(other.enabled, lang),
            logging=_switch(other.log_questions, lang),
        )
        for other in others
        if other.channel_id != config.channel_id
    ]
    if listed:
        embed.add_field(name=say("config_other", lang), value="\n".join(listed), inline=False)
    embed.set_footer(text=say("config_footer", lang))
    return fit_embed(embed)
