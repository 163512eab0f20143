"""/timeline: the corpus's dated events in order, paginated; only the person who asked can page."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.timeline.render import timeline_pages, timeline_title
from bot.discord.ui.admission import admitted
from bot.discord.ui.autocomplete import name_choices
from bot.discord.ui.pagination import Paginator
from bot.discord.ui.places import logged_channel_id
from bot.discord.ui.replies import NONE, reply_privately
from bot.discord.ui.style import error_embed
from bot.errors import BadFilter
from bot.i18n import language, say_error
from bot.services.container import Services
from bot.services.recording import Origin

logger = logging.getLogger(__name__)


class TimelineCog(commands.Cog):
    """The /timeline command."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.page_timeout = 300.0

    @app_commands.command(name="timeline", description="The corpus's dated events in order, each quoted and cited")
    @app_commands.describe(
        topic="Only events about this (a name, a place, a word); empty for everything",
        since="From this date on: 2025, 2025-10 or 2025-10-31",
        until="Up to this date: 2026, 2026-01 or 2026-01-06",
        private="Show the timeline only to you",
    )
    async def timeline(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        since: str | None = None,
        until: str | None = None,
        private: bool | None = None,
    ) -> None:
        """Pages of events; malformed bounds are refused privately before anything public is sent."""
        corpus = self.services.corpus
        lang = language(interaction.locale)
        try:  # checked before deferring: an error after a public defer could not be private any more
            corpus.check_bounds(since, until)
        except BadFilter as error:
            await reply_privately(interaction, embed=error_embed(say_error(error, lang), lang=lang))
            return
        admission = await admitted(self.services.policy, interaction, private)
        if admission is None:
            return
        with self.services.activity.working():
            await interaction.response.defer(ephemeral=admission.private, thinking=True)
            origin = Origin("timeline", interaction.guild_id, logged_channel_id(interaction), interaction.user.id)
            try:
                result = await corpus.timeline(topic, since, until, origin)
            except BadFilter as error:
                embed = error_embed(say_error(error, lang), lang=lang)
                await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NONE)
                return
            title = timeline_title(topic, lang)
            pages = timeline_pages(result.events, title=title, corpus_version=result.corpus_version, lang=lang)
            paginator = Paginator(pages, interaction.user.id, timeout=self.page_timeout)
            await paginator.send(interaction, ephemeral=admission.private)

    @timeline.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Complete the last word typed to a name the corpus mentions."""
        return name_choices(self.services.corpus.complete_names(current))
