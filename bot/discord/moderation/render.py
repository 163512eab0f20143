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
from bot.records import ChannelConfig, GuildStats, LogRow, SourceRef
from bot.wording import plural

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


def channel_ref(channel_id: int | None) -> str:
    """A channel mention (Discord shows its name), or a plain note when there is none."""
    return f"<#{channel_id}>" if channel_id is not None else "no channel"


def source_ref(source: SourceRef | str, titles: Mapping[str, str]) -> str:
    """`Title` (`doc:L1-L2`): the title when the corpus still has the document, always the exact span."""
    doc_id = source.doc_id if isinstance(source, SourceRef) else source
    span = sanitize(str(source), inline=True).replace("`", "")
    title = titles.get(doc_id)
    return f"{escape(clip(title, 80), inline=True)} (`{span}`)" if title else f"`{span}`"


def _votes(up: int, down: int) -> str:
    return f"👍 {up} 👎 {down}"


def _row_block(row: LogRow, titles: Mapping[str, str]) -> str:
    """Time, channel, user, question, outcome, top source and feedback of one logged question."""
    who = f"<@{row.user_id}>" if row.user_id is not None else "user not logged"
    head = f"{when(row.ts)} · {channel_ref(row.channel_id)} · {who} · via {escape(row.interface, inline=True)}"
    if row.question is None:
        question = "*question not logged in this channel*"
    else:
        question = "> " + (escape(clip(row.question, _QUESTION_CHARS), inline=True) or "*(empty)*")
    outcome = "✅ answered" if row.answered else "⚠️ abstained"
    top = f"top source {source_ref(row.sources[0], titles)}" if row.sources else "no source quoted"
    return truncate(f"{head}\n{question}\n{outcome} · {top} · {_votes(row.votes_up, row.votes_down)}", _BLOCK_LIMIT)


def scope_line(
    *,
    channel_id: int | None = None,
    user_id: int | None = None,
    since: str | None = None,
    unanswered: bool = False,
    text: str | None = None,
) -> str:
    """The filters in words (markdown, user text escaped), shown above results and in export replies."""
    parts = ["this server"]
    if channel_id is not None:
        parts.append(f"in {channel_ref(channel_id)}")
    if user_id is not None:
        parts.append(f"from <@{user_id}>")
    if since:
        parts.append(f"since {escape(since, inline=True)}")
    if unanswered:
        parts.append("unanswered only")
    if text:
        parts.append(f"containing “{escape(clip(text, 100), inline=True)}”")
    return " · ".join(parts)


def log_pages(
    rows: Sequence[LogRow], total: int, *, scope: str, titles: Mapping[str, str], per_page: int = ROWS_PER_PAGE
) -> list[discord.Embed]:
    """The rows as embeds of ``per_page``, newest first; ``total`` may exceed ``len(rows)`` (capped).

    ``scope`` is markdown from `scope_line`.
    """
    title = f"Query log · {plural(total, 'question')}"
    if not rows:
        return [
            fit_embed(discord.Embed(title=title, description=f"No questions match: {scope}.", colour=MODERATOR_COLOUR))
        ]
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
    shown = f"newest {len(rows)} of {total} shown — /logs export for all · " if total > len(rows) else ""
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        body = "\n\n".join(_row_block(row, titles) for row in chunk)
        embed = discord.Embed(title=title, description=f"{scope}\n\n{body}", colour=MODERATOR_COLOUR)
        embed.set_footer(text=f"{shown}page {number} of {len(chunks)}")
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


def stats_embed(stats: GuildStats, *, scope: str, titles: Mapping[str, str], dropped: int = 0) -> discord.Embed:
    """Usage, answer rate, feedback, most asked questions and sources, and what the corpus lacks."""
    overview = (
        f"**{stats.total}** questions · **{stats.answered}** answered ({stats.answer_rate:.0%}) · "
        f"feedback {_votes(stats.votes_up, stats.votes_down)}"
    )
    embed = discord.Embed(title="corpusbot statistics", description=f"{scope}\n\n{overview}")
    embed.colour = MODERATOR_COLOUR
    per_channel = [(channel_ref(channel), count) for channel, count in stats.per_channel[:10]]
    embed.add_field(name="Per channel", value="\n".join(f"{ref} — {n}" for ref, n in per_channel) or "—")
    embed.add_field(name=f"Per day (last {DAYS_SHOWN} with questions)", value=_per_day(stats.per_day), inline=False)
    embed.add_field(name="Most asked", value=_ranked(stats.top_questions), inline=False)
    embed.add_field(name="Most quoted sources", value=_ranked(stats.top_sources, titles), inline=False)
    embed.add_field(name="Coverage gaps (most asked, not answered)", value=_ranked(stats.gaps), inline=False)
    footer = "Questions from channels with logging off are counted but not listed."
    if dropped:
        footer += f" {dropped} questions could not be logged since the bot started (see its process log)."
    embed.set_footer(text=footer)
    return fit_embed(embed)


def _switch(on: bool) -> str:
    return "on" if on else "off"


def config_embed(
    config: ChannelConfig, *, global_private: bool, others: Sequence[ChannelConfig], changed: bool = False
) -> discord.Embed:
    """One channel's switches (and which other channels of the server differ from the defaults)."""
    default = "private" if global_private else "public"
    if config.private_by_default is None:
        answers = f"server default ({default})"
    else:
        answers = "private" if config.private_by_default else "public"
    lines = [
        f"**Bot:** {_switch(config.enabled)}",
        f"**Question logging:** {_switch(config.log_questions)}"
        + ("" if config.log_questions else " (only counts are kept: no question text, no user ids)"),
        f"**Answers by default:** {answers}",
    ]
    title = "Channel settings updated" if changed else "Channel settings"
    embed = discord.Embed(
        title=title,
        description=f"{channel_ref(config.channel_id)}\n\n" + "\n".join(lines),
        colour=ANSWERED_COLOUR if config.enabled else ABSTAINED_COLOUR,
    )
    listed = [
        f"{channel_ref(other.channel_id)}: bot {_switch(other.enabled)}, logging {_switch(other.log_questions)}"
        for other in others
        if other.channel_id != config.channel_id
    ]
    if listed:
        embed.add_field(name="Other configured channels", value="\n".join(listed), inline=False)
    embed.set_footer(text="Change with /config enabled:… logging:… answers:… [channel:…]")
    return fit_embed(embed)
