"""Where communities talk: the "Ask corpusbot" message menu, and answers inside new forum posts.

The message menu needs no privileged intent: Discord sends the chosen message, content included, with
the command. Its answer is private, with a "Post to channel" button. Forum posts (in forums the
moderators opted in with /config forum) are answered once, inside the post.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.buttons import AnswerButtons
from bot.discord.ask.cog import strip_mention
from bot.discord.ask.render import answer_embed
from bot.discord.ui.admission import admitted
from bot.discord.ui.places import guild_language, logged_channel_id
from bot.discord.ui.replies import NONE, reply_privately
from bot.discord.ui.style import error_embed
from bot.i18n import language, say
from bot.services.community import ForumMemory, forum_question
from bot.services.container import Services
from bot.services.recording import Origin

logger = logging.getLogger(__name__)

MENU_NAME = "Ask corpusbot"


class CommunityCog(commands.Cog):
    """The message menu and the forum listener."""

    def __init__(self, bot: commands.Bot, services: Services, buttons: AnswerButtons) -> None:
        self.bot = bot  # for the command tree (the menu) and the bot's own user id
        self.services = services
        self.buttons = buttons
        self.forum_posts = ForumMemory()
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.ask_about_message)

    async def cog_load(self) -> None:
        """Context menus cannot live in a cog's class body: register it with the tree here."""
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Take the menu off the tree again."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def ask_about_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Apps → Ask corpusbot: the chosen message's text is the question; the answer is private first."""
        lang = language(interaction.locale)
        me = self.bot.user
        question = strip_mention(message.content, me.id if me else 0)
        if not question:
            await reply_privately(interaction, embed=error_embed(say("no_text", lang), lang=lang))
            return
        if await admitted(self.services.policy, interaction, True) is None:
            return
        with self.services.activity.working():
            await interaction.response.defer(ephemeral=True, thinking=True)
            origin = Origin("menu", interaction.guild_id, logged_channel_id(interaction), interaction.user.id)
            served = await self.services.corpus.ask(question, origin)
            view = self.buttons.view(served.answer, served.answer_id, lang=lang, shareable=True)
            await interaction.followup.send(
                embed=answer_embed(served.answer, lang=lang), view=view, ephemeral=True, allowed_mentions=NONE
            )

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A new post in an opted-in forum: answer it inside the post, once."""
        if not isinstance(thread.parent, discord.ForumChannel):
            return
        me = self.bot.user
        config = await self.services.channels.get(thread.guild.id, thread.parent_id)
        if me is None or not self.forum_posts.wants_answer(config, thread.id, by_bot=thread.owner_id == me.id):
            return
        try:
            with self.services.activity.working():
                await self._answer_post(thread, me.id)
        except Exception:
            logger.exception("answering a forum post failed", extra={"channel_id": thread.id})

    async def _answer_post(self, thread: discord.Thread, bot_id: int) -> None:
        starter = thread.starter_message
        if starter is None:
            try:
                starter = await thread.fetch_message(thread.id)
            except discord.HTTPException:  # the first message was deleted already: the title must do
                starter = None
        first = strip_mention(starter.content, bot_id) if starter is not None else ""
        lang = guild_language(thread.guild)
        origin = Origin("forum", thread.guild.id, thread.parent_id, thread.owner_id)  # logged under its forum
        served = await self.services.corpus.ask(forum_question(thread.name, first), origin)
        view = self.buttons.view(served.answer, served.answer_id, asker_id=thread.owner_id, lang=lang)
        await thread.send(embed=answer_embed(served.answer, lang=lang), view=view, allowed_mentions=NONE)
        logger.info("answered a forum post", extra={"guild_id": thread.guild.id, "channel_id": thread.id})
