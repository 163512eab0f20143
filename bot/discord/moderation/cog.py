"""Moderator commands: /logs show, /logs export, /stats and /config, each scoped to the server it runs in.

Who may use them is checked inside every command on every call (Manage Messages, the configured
moderator role, or a bot admin) — Discord's default permissions only hide the commands, and a server
can override them. Every query takes its guild from the interaction, never from an option, so no
filter can reach another server's rows.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.moderation.render import config_embed, log_pages, notice_embed, refusal_embed, scope_line, stats_embed
from bot.discord.ui.components import NONE, reply_privately
from bot.discord.ui.fit import fit_content
from bot.discord.ui.pagination import Paginator
from bot.records import LogFilter, LogRow, parse_when
from bot.store import Database
from bot.store.export import DISCORD_ATTACHMENT_LIMIT, export_bounded

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

logger = logging.getLogger(__name__)

SHOW_ROW_CAP = 240  # rows paged by /logs show (40 pages); /logs export has the rest
EXPORT_ROW_CAP = 100_000
EXPORT_MAX_BYTES = DISCORD_ATTACHMENT_LIMIT
PAGE_TIMEOUT = 300.0

GUILD_ONLY = "This command works in a server, not in DMs."
MODERATORS_ONLY = "Only moderators of this server (Manage Messages, or the moderator role) can use this command."
NO_LOG = "The query log is unavailable right now (the bot's process log says why), so there is nothing to show."
FILTER_HELP = {
    "channel": "Only questions asked in this channel",
    "user": "Only questions from this person",
    "since": "Only questions from this date on (YYYY-MM-DD, UTC)",
    "unanswered": "Only questions the bot could not answer",
    "text": "Only questions containing this text",
}
MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)
Answers = Literal["public", "private", "server default"]


class ChannelOption(app_commands.Transformer):
    """A channel people can ask in, taken as the interaction resolved it: only its id is needed, so a
    channel the bot cannot see (or of another server) is a valid filter that simply matches nothing."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        kinds = discord.ChannelType
        return [
            kinds.text,
            kinds.news,
            kinds.voice,
            kinds.stage_voice,
            kinds.public_thread,
            kinds.private_thread,
            kinds.news_thread,
        ]

    async def transform(
        self, interaction: discord.Interaction, value: object, /
    ) -> app_commands.AppCommandChannel | app_commands.AppCommandThread:
        if not isinstance(value, app_commands.AppCommandChannel | app_commands.AppCommandThread):
            raise app_commands.TransformerError(value, self.type, self)
        return value


Channel = app_commands.Transform[app_commands.AppCommandChannel | app_commands.AppCommandThread, ChannelOption]


def settings_unknown(problem: str) -> str:
    """What a moderator is told while the database (and so every channel's settings) is unreadable."""
    return (
        f"Storage problem: {problem}. Until it is fixed, corpusbot stays off (and private) in every channel of "
        "this server rather than guess your settings; it retries on its own."
    )


class BadInput(ValueError):
    """A filter the moderator typed that cannot be used; the message says how to fix it."""


def checked_since(value: str | None) -> str | None:
    """A ``since`` filter as typed, once it is known to parse; blank means none."""
    if value is None or not value.strip():
        return None
    try:
        parse_when(value)
    except ValueError:
        raise BadInput(
            f"“since” must be a date like 2025-01-31 (or 2025-01-31T18:00), not “{value.strip()}”."
        ) from None
    return value.strip()


def guild_filter(
    interaction: discord.Interaction,
    *,
    channel: Channel | None,
    user: discord.User | None,
    since: str | None,
    unanswered: bool,
    text: str | None,
    limit: int,
) -> LogFilter:
    """The filter a moderator asked for, always narrowed to the server the command runs in."""
    assert interaction.guild_id is not None, "moderator commands are guild-only"
    return LogFilter(
        guild_id=interaction.guild_id,
        channel_id=channel.id if channel else None,
        user_id=user.id if user else None,
        since=checked_since(since),
        unanswered=unanswered,
        text=text or None,
        limit=limit,
    )


def describe(flt: LogFilter) -> str:
    return scope_line(
        channel_id=flt.channel_id,
        user_id=flt.user_id,
        since=None if flt.since is None else str(flt.since),
        unanswered=flt.unanswered,
        text=flt.text,
    )


class ModerationCog(commands.Cog):
    logs = app_commands.Group(
        name="logs",
        description="Questions asked in this server (moderators)",
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.page_timeout = PAGE_TIMEOUT
        self.export_max_bytes = EXPORT_MAX_BYTES
        self._titles: tuple[str, dict[str, str]] = ("", {})

    async def is_moderator(self, interaction: discord.Interaction) -> bool:
        """Manage Messages in this server, the configured moderator role, or a bot admin."""
        if interaction.guild_id is None:
            return False
        if interaction.permissions.manage_messages:
            return True
        role_id = self.bot.settings.moderator_role_id
        user = interaction.user
        if role_id is not None and isinstance(user, discord.Member) and any(r.id == role_id for r in user.roles):
            return True
        return await self.bot.is_admin(user)

    async def gate(self, interaction: discord.Interaction) -> Database | None:
        """The query log if the caller may moderate here; otherwise they are told why and None is returned."""
        title = "Moderators only"
        if interaction.guild_id is None:
            refusal = GUILD_ONLY
        elif not await self.is_moderator(interaction):
            refusal = MODERATORS_ONLY
            logger.info(
                "refused /%s to a non-moderator",
                interaction.command.qualified_name if interaction.command else "?",
                extra={"guild_id": interaction.guild_id, "channel_id": interaction.channel_id},
            )
        elif self.bot.service.database is None:
            problem = self.bot.service.storage_problem
            title, refusal = "Not available", NO_LOG if problem is None else settings_unknown(problem)
        else:
            return self.bot.service.database
        await reply_privately(interaction, embed=refusal_embed(refusal, title=title))
        return None

    def titles(self) -> dict[str, str]:
        """Document titles by id for the current corpus (rebuilt after a reload)."""
        engine = self.bot.service.engine
        if self._titles[0] != engine.version:
            self._titles = (engine.version, {s["doc_id"]: s["title"] for s in engine.sources()})
        return self._titles[1]

    async def _scoped(
        self, interaction: discord.Interaction, limit: int, **filters: object
    ) -> tuple[Database, LogFilter] | None:
        """Gate, build this guild's filter, defer, flush pending rows. None (the caller has been told
        why) when refused or when a filter is malformed."""
        log = await self.gate(interaction)
        if log is None:
            return None
        try:
            flt = guild_filter(interaction, limit=limit, **filters)  # type: ignore[arg-type]
        except BadInput as error:
            await reply_privately(interaction, embed=refusal_embed(str(error), title="Check the filters"))
            return None
        await interaction.response.defer(ephemeral=True, thinking=True)
        await log.writer.flush()
        return log, flt

    async def _matching_rows(
        self, interaction: discord.Interaction, limit: int, **filters: object
    ) -> tuple[list[LogRow], int, LogFilter] | None:
        """The rows on this page of the filter, how many match in all, and the filter."""
        scoped = await self._scoped(interaction, limit, **filters)
        if scoped is None:
            return None
        log, flt = scoped
        return await log.questions.fetch(flt), await log.questions.count(flt), flt

    @logs.command(name="show", description="Browse the questions asked in this server (moderators)")
    @app_commands.describe(**FILTER_HELP)
    async def logs_show(
        self,
        interaction: discord.Interaction,
        channel: Channel | None = None,
        user: discord.User | None = None,
        since: str | None = None,
        unanswered: bool = False,
        text: str | None = None,
    ) -> None:
        found = await self._matching_rows(
            interaction, SHOW_ROW_CAP, channel=channel, user=user, since=since, unanswered=unanswered, text=text
        )
        if found is None:
            return
        rows, total, flt = found
        pages = log_pages(rows, total, scope=describe(flt), titles=self.titles())
        await Paginator(pages, interaction.user.id, timeout=self.page_timeout).send(interaction)

    @logs.command(name="export", description="Download the questions asked in this server as a file (moderators)")
    @app_commands.describe(fmt="File format: csv (spreadsheets) or jsonl (one JSON object per line)", **FILTER_HELP)
    @app_commands.rename(fmt="format")
    async def logs_export(
        self,
        interaction: discord.Interaction,
        fmt: Literal["csv", "jsonl"],
        channel: Channel | None = None,
        user: discord.User | None = None,
        since: str | None = None,
        unanswered: bool = False,
        text: str | None = None,
    ) -> None:
        found = await self._matching_rows(
            interaction, EXPORT_ROW_CAP, channel=channel, user=user, since=since, unanswered=unanswered, text=text
        )
        if found is None:
            return
        rows, total, flt = found
        scope = describe(flt)
        if not rows:
            await interaction.followup.send(
                embed=notice_embed("Nothing to export", "No questions match these filters."), ephemeral=True
            )
            return
        export = await asyncio.to_thread(export_bounded, rows, fmt, self.export_max_bytes)
        content = f"{export.rows_included} of {total} questions, newest first — {scope}."
        if export.rows_included < total:
            content += (
                f"\n⚠️ The file was cut after {export.rows_included} rows to stay within Discord's upload limit; "
                "narrow the filters (e.g. `since`) to export the rest."
            )
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        file = discord.File(io.BytesIO(export.data), filename=f"corpusbot-log-{interaction.guild_id}-{stamp}.{fmt}")
        await interaction.followup.send(content=fit_content(content), file=file, ephemeral=True, allowed_mentions=NONE)
        logger.info("exported %d rows as %s", export.rows_included, fmt, extra={"guild_id": interaction.guild_id})

    @app_commands.command(name="stats", description="Usage, answer rate, feedback and coverage gaps (moderators)")
    @app_commands.describe(since=FILTER_HELP["since"], channel="Only this channel")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def stats(
        self, interaction: discord.Interaction, since: str | None = None, channel: Channel | None = None
    ) -> None:
        scoped = await self._scoped(
            interaction, 0, channel=channel, user=None, since=since, unanswered=False, text=None
        )
        if scoped is None:
            return
        log, flt = scoped
        assert flt.guild_id is not None
        stats = await log.stats.of_guild(flt.guild_id, since=flt.since, channel_id=flt.channel_id)
        embed = stats_embed(stats, scope=describe(flt), titles=self.titles(), dropped=self.bot.service.rows_dropped)
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="config", description="Turn the bot, question logging or private answers on/off here")
    @app_commands.describe(
        channel="The channel to configure (default: this one)",
        enabled="Answer questions in the channel",
        log_questions="Store question text and who asked (off: only counts are kept)",
        answers="Answers public or private by default",
    )
    @app_commands.rename(log_questions="logging")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def config(
        self,
        interaction: discord.Interaction,
        channel: Channel | None = None,
        enabled: bool | None = None,
        log_questions: bool | None = None,
        answers: Answers | None = None,
    ) -> None:
        log = await self.gate(interaction)
        if log is None:
            return
        assert interaction.guild_id is not None and interaction.channel_id is not None
        channel_id = channel.id if channel else interaction.channel_id
        current = await log.channels.get(interaction.guild_id, channel_id)
        changes: dict[str, bool | None] = {}
        if enabled is not None:
            changes["enabled"] = enabled
        if log_questions is not None:
            changes["log_questions"] = log_questions
        if answers is not None:
            changes["private_by_default"] = None if answers == "server default" else answers == "private"
        if changes:
            current = replace(current, **changes)  # type: ignore[arg-type]
            await self.bot.service.set_channel_config(current)
        embed = config_embed(
            current,
            global_private=self.bot.settings.private_by_default,
            others=await log.channels.of_guild(interaction.guild_id),
            changed=bool(changes),
        )
        await reply_privately(interaction, embed=embed)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(ModerationCog(bot))
