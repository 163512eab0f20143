"""Moderator commands: /logs show, /logs export, /stats and /config, each scoped to the server it runs in.

Who may use them is checked inside every command on every call (Manage Messages, the configured
moderator role, or a bot admin) — Discord's default permissions only hide the commands, and a server
can override them. Every query takes its guild from the interaction, never from an option, so no
filter can reach another server's rows.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.moderation.render import config_embed, log_pages, scope_line, stats_embed
from bot.discord.ui.fit import fit_content
from bot.discord.ui.pagination import Paginator
from bot.discord.ui.places import settings_channel_id
from bot.discord.ui.replies import NONE, reply_privately
from bot.discord.ui.style import notice_embed, refusal_embed
from bot.errors import BadFilter
from bot.i18n import language, say, say_error
from bot.records import LogFilter
from bot.services.container import Services
from bot.services.export import DISCORD_ATTACHMENT_LIMIT
from bot.services.moderation import Visibility, guild_filter

logger = logging.getLogger(__name__)

SHOW_ROW_CAP = 240  # rows paged by /logs show (40 pages); /logs export has the rest
EXPORT_ROW_CAP = 100_000
EXPORT_MAX_BYTES = DISCORD_ATTACHMENT_LIMIT
PAGE_TIMEOUT = 300.0
CHART_FILENAME = "corpusbot-stats.png"

FILTER_HELP = {
    "channel": "Only questions asked in this channel",
    "user": "Only questions from this person",
    "since": "Only questions from this date on (YYYY-MM-DD, UTC)",
    "unanswered": "Only questions the bot could not answer",
    "text": "Only questions containing this text",
}
MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)


class ChannelOption(app_commands.Transformer):
    """A channel people can ask in, taken as the interaction resolved it.

    Only its id is needed, so a channel the bot cannot see (or of another server) is a valid filter
    that simply matches nothing.
    """

    @property
    def type(self) -> discord.AppCommandOptionType:
        """A channel option."""
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        """The kinds of channel a question can be asked in (threads included)."""
        kinds = discord.ChannelType
        return [
            kinds.text,
            kinds.news,
            kinds.voice,
            kinds.stage_voice,
            kinds.public_thread,
            kinds.private_thread,
            kinds.news_thread,
            kinds.forum,
        ]

    async def transform(
        self, interaction: discord.Interaction, value: object, /
    ) -> app_commands.AppCommandChannel | app_commands.AppCommandThread:
        """The resolved channel or thread, as Discord sent it."""
        if not isinstance(value, app_commands.AppCommandChannel | app_commands.AppCommandThread):
            raise app_commands.TransformerError(value, self.type, self)
        return value


Channel = app_commands.Transform[app_commands.AppCommandChannel | app_commands.AppCommandThread, ChannelOption]


def describe(flt: LogFilter, lang: str = "en") -> str:
    """The filter in words, under every moderator screen."""
    return scope_line(
        channel_id=flt.channel_id,
        user_id=flt.user_id,
        since=None if flt.since is None else str(flt.since),
        unanswered=flt.unanswered,
        text=flt.text,
        lang=lang,
    )


class ModerationCog(commands.Cog):
    """/logs show, /logs export, /stats and /config."""

    logs = app_commands.Group(
        name="logs",
        description="Questions asked in this server (moderators)",
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.bot = bot  # only for the application-owner check
        self.services = services
        self.page_timeout = PAGE_TIMEOUT
        self.export_max_bytes = EXPORT_MAX_BYTES

    async def is_moderator(self, interaction: discord.Interaction) -> bool:
        """The policy's answer for this member: Manage Messages, the moderator role, or a bot admin."""
        user = interaction.user
        return await self.services.policy.is_moderator(
            user.id,
            in_guild=interaction.guild_id is not None,
            manage_messages=interaction.permissions.manage_messages,
            role_ids=[role.id for role in user.roles] if isinstance(user, discord.Member) else [],
            owns_application=lambda: self.bot.is_owner(user),
        )

    async def gate(self, interaction: discord.Interaction) -> bool:
        """Whether the caller may moderate here (and the log is there to read); if not, they are told why."""
        lang = language(interaction.locale)
        title = say("mod_only_title", lang)
        if interaction.guild_id is None:
            refusal = say("mod_guild_only", lang)
        elif not await self.is_moderator(interaction):
            refusal = say("mod_only", lang)
            logger.info(
                "refused /%s to a non-moderator",
                interaction.command.qualified_name if interaction.command else "?",
                extra={"guild_id": interaction.guild_id, "channel_id": interaction.channel_id},
            )
        elif not self.services.moderation.available:
            title, refusal = say("not_available", lang), say("mod_no_log", lang)
        else:
            return True
        await reply_privately(interaction, embed=refusal_embed(refusal, title=title))
        return False

    async def _scoped(
        self,
        interaction: discord.Interaction,
        limit: int,
        *,
        channel: Channel | None,
        user: discord.User | None,
        since: str | None,
        unanswered: bool,
        text: str | None,
    ) -> LogFilter | None:
        """Gate, build this guild's filter, defer.

        None (the caller has been told why) when refused or when a filter is malformed.
        """
        if not await self.gate(interaction):
            return None
        assert interaction.guild_id is not None, "the gate admits guild interactions only"
        try:
            flt = guild_filter(
                interaction.guild_id,
                channel_id=channel.id if channel else None,
                user_id=user.id if user else None,
                since=since,
                unanswered=unanswered,
                text=text,
                limit=limit,
            )
        except BadFilter as error:
            lang = language(interaction.locale)
            embed = refusal_embed(say_error(error, lang), title=say("check_filters", lang))
            await reply_privately(interaction, embed=embed)
            return None
        await interaction.response.defer(ephemeral=True, thinking=True)
        return flt

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
        """This server's questions, newest first, paged (up to `SHOW_ROW_CAP` rows)."""
        flt = await self._scoped(
            interaction, SHOW_ROW_CAP, channel=channel, user=user, since=since, unanswered=unanswered, text=text
        )
        if flt is None:
            return
        rows, total = await self.services.moderation.page(flt)
        lang = language(interaction.locale)
        titles = self.services.corpus.titles()
        pages = log_pages(rows, total, scope=describe(flt, lang), titles=titles, lang=lang)
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
        """This server's questions as a file attachment, cut to fit Discord's upload limit."""
        flt = await self._scoped(
            interaction, EXPORT_ROW_CAP, channel=channel, user=user, since=since, unanswered=unanswered, text=text
        )
        if flt is None:
            return
        lang = language(interaction.locale)
        scope = describe(flt, lang)
        moderation = self.services.moderation
        total = await moderation.count(flt)
        if not total:
            empty = notice_embed(say("nothing_to_export_title", lang), say("nothing_to_export", lang))
            await interaction.followup.send(embed=empty, ephemeral=True)
            return
        export = await moderation.export(flt, fmt, self.export_max_bytes)
        content = say("export_done", lang, included=export.rows_included, total=total, scope=scope)
        if export.rows_included < total:
            content += "\n" + say("export_cut", lang, included=export.rows_included)
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
        """Usage of this server (or one channel), privately."""
        flt = await self._scoped(interaction, 0, channel=channel, user=None, since=since, unanswered=False, text=None)
        if flt is None:
            return
        stats = await self.services.moderation.stats(flt)
        lang = language(interaction.locale)
        embed = stats_embed(stats, scope=describe(flt, lang), titles=self.services.corpus.titles(), lang=lang)
        chart = await self.services.moderation.chart(stats, lang)  # the same numbers, drawn off the event loop
        embed.set_image(url=f"attachment://{CHART_FILENAME}")
        description = say("chart_description", lang)
        file = discord.File(io.BytesIO(chart), filename=CHART_FILENAME, description=description)
        await interaction.followup.send(embed=embed, file=file, ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(
        name="config",
        description="Turn the bot, question logging, private answers, threads or forum answers on/off here",
    )
    @app_commands.describe(
        channel="The channel or forum to configure (default: this one)",
        enabled="Answer questions in the channel",
        log_questions="Store question text and who asked (off: only counts are kept)",
        answers="Answers public or private by default",
        threads="Answer in a public thread: on the question (mentions) or on the answer (/ask)",
        forum="Forum channels: answer each new post inside it, once",
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
        answers: Visibility | None = None,
        threads: bool | None = None,
        forum: bool | None = None,
    ) -> None:
        """Show a channel's settings, changing the ones given."""
        if not await self.gate(interaction):
            return
        assert interaction.guild_id is not None and interaction.channel_id is not None
        # A thread (or forum post) follows its parent's settings, so that is what gets configured.
        if isinstance(channel, app_commands.AppCommandThread):
            channel_id = channel.parent_id
        elif channel is not None:
            channel_id = channel.id
        else:
            channel_id = settings_channel_id(interaction.channel) or interaction.channel_id
        change = await self.services.moderation.configure(
            interaction.guild_id,
            channel_id,
            enabled=enabled,
            log_questions=log_questions,
            answers=answers,
            threads=threads,
            forum=forum,
        )
        embed = config_embed(
            change.config,
            global_private=self.services.settings.private_by_default,
            others=change.configured,
            changed=change.changed,
            lang=language(interaction.locale),
        )
        await reply_privately(interaction, embed=embed)
