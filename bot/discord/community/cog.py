"""Where communities talk: the "Ask corpusbot" message menu, and answers inside new forum posts.

The message menu needs no privileged intent: Discord sends the chosen message, content included, with
the command. Its answer is private, with a "Post to channel" button. Forum posts (in forums the
moderators opted in with /config forum) are answered once, inside the post.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.cog import strip_mention
from bot.discord.ask.render import answer_embed, error_embed
from bot.discord.ui.components import NONE, answer_view, reply_privately
from bot.discord.ui.places import guild_language
from bot.i18n import language, say
from bot.services.community import forum_question
from bot.services.corpus import Origin

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

logger = logging.getLogger(__name__)

MENU_NAME = "Ask corpusbot"


class CommunityCog(commands.Cog):
    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.ask_about_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def ask_about_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Apps → Ask corpusbot: the chosen message's text is the question; the answer is private first."""
        lang = language(interaction.locale)
        me = self.bot.user
        question = strip_mention(message.content, me.id if me else 0)
        if not question:
            await reply_privately(interaction, embed=error_embed(say("no_text", lang), lang=lang))
            return
        if await self.bot.admit(interaction, True) is None:
            return
        with self.bot.working():
            await interaction.response.defer(ephemeral=True, thinking=True)
            origin = Origin("menu", interaction.guild_id, interaction.channel_id, interaction.user.id)
            served = await self.bot.service.ask(question, origin)
            self.bot.answers.put(served.answer_id, served.answer)
            view = answer_view(served.answer, served.answer_id, lang=lang, shareable=True)
            await interaction.followup.send(
                embed=answer_embed(served.answer, lang=lang), view=view, ephemeral=True, allowed_mentions=NONE
            )

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A new post in an opted-in forum: answer it inside the post, once."""
        if not isinstance(thread.parent, discord.ForumChannel):
            return
        config = await self.bot.service.channel_config(thread.guild.id, thread.parent_id)
        me = self.bot.user
        if me is None or not self.bot.forum_posts.wants_answer(config, thread.id, by_bot=thread.owner_id == me.id):
            return
        try:
            with self.bot.working():
                await self._answer_post(thread, me.id)
        except Exception:
            logger.exception("answering a forum post failed", extra={"channel_id": thread.id})

    async def _answer_post(self, thread: discord.Thread, bot_id: int) -> None:
        starter = thread.starter_message
        if starter is None:
            try:
                starter = await thread.fetch_message(thread.id)
            except discord.HTTPException:  # the starter was deleted already: the title must do
                starter = None
        first = strip_mention(starter.content, bot_id) if starter is not None else ""
        question = forum_question(thread.name, first)
        lang = guild_language(thread.guild)
        author = thread.owner_id
        origin = Origin("forum", thread.guild.id, thread.id, author)
        served = await self.bot.service.ask(question, origin)
        self.bot.answers.put(served.answer_id, served.answer)
        view = answer_view(served.answer, served.answer_id, asker_id=author, lang=lang)
        await thread.send(embed=answer_embed(served.answer, lang=lang), view=view, allowed_mentions=NONE)
        logger.info("answered forum post", extra={"guild_id": thread.guild.id, "channel_id": thread.id})


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(CommunityCog(bot))
