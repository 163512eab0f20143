"""/timeline: the corpus's dated events in order, paginated; only the person who asked can page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.render import error_embed
from bot.discord.timeline.render import timeline_pages
from bot.discord.ui.components import NONE, reply_privately
from bot.discord.ui.pagination import Paginator
from bot.services.corpus import Origin
from retrieval.timeline.events import parse_bound

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

BAD_BOUND = "`since` and `until` take a year, a month or a day: 2025, 2025-10 or 2025-10-31."


class TimelineCog(commands.Cog):
    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
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
        try:  # checked before deferring: an error after a public defer could not be private any more
            for bound in (since, until):
                if bound:
                    parse_bound(bound)
        except ValueError:
            await reply_privately(interaction, embed=error_embed(BAD_BOUND))
            return
        async with self.bot.admission.acknowledging():
            visible = await self.bot.admit(interaction, private)
            if visible is None:
                return
            await interaction.response.defer(ephemeral=visible, thinking=True)
        origin = Origin("timeline", interaction.guild_id, interaction.channel_id, interaction.user.id)
        try:
            async with self.bot.admission.turn():
                result = await self.bot.service.timeline(topic, since, until, origin)
        except ValueError:
            await interaction.followup.send(embed=error_embed(BAD_BOUND), ephemeral=True, allowed_mentions=NONE)
            return
        title = f"Timeline · {topic}" if topic else "Timeline"
        pages = timeline_pages(result.events, title=title, corpus_version=result.corpus_version)
        await Paginator(pages, interaction.user.id, timeout=self.page_timeout).send(interaction, ephemeral=visible)

    @timeline.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.bot.name_choices(current)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(TimelineCog(bot))
