"""Buttons under an answer: More, Context, 👍 / 👎.

They are DynamicItems: the custom id carries what the click needs (answer id, document span), so the
buttons keep working after a restart. "More" needs the answer itself, held in a bounded in-memory
cache; after a restart it says so politely instead of failing.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.ask.render import answer_embed, context_embed, error_embed, next_start
from retrieval.models import Answer

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

logger = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
EXPIRED = "That answer is no longer in my memory (I may have restarted). Please ask again."


class AnswerCache:
    """The most recent answers by id, for "More"; old ones fall out first."""

    def __init__(self, size: int = 2000) -> None:
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._size = size

    def put(self, answer_id: str, answer: Answer) -> None:
        self._answers[answer_id] = answer
        self._answers.move_to_end(answer_id)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)

    def get(self, answer_id: str) -> Answer | None:
        return self._answers.get(answer_id)


def _bot(interaction: discord.Interaction) -> CorpusBot:
    return interaction.client  # type: ignore[return-value]


async def reply_privately(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Answer the person who clicked, visible only to them."""
    kwargs.setdefault("allowed_mentions", NONE)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=True, **kwargs)


MORE_ID = r"more:(?P<answer>[0-9a-f]{32}):(?P<start>\d{1,3})"
CONTEXT_ID = r"ctx:(?P<doc>[^:]{1,64}):(?P<start>\d{1,9}):(?P<end>\d{1,9})"
VOTE_ID = r"vote:(?P<way>up|down):(?P<answer>[0-9a-f]{32})"


class MoreButton(discord.ui.DynamicItem[discord.ui.Button], template=MORE_ID):
    def __init__(self, answer_id: str, start: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="More", emoji="➕", style=discord.ButtonStyle.secondary, custom_id=f"more:{answer_id}:{start}"
            )
        )
        self.answer_id, self.start = answer_id, start

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MoreButton:
        return cls(match["answer"], int(match["start"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        answer = _bot(interaction).answers.get(self.answer_id)
        if answer is None:
            await reply_privately(interaction, content=EXPIRED)
            return
        view = discord.ui.View(timeout=None)
        following = next_start(answer, self.start)
        if following is not None:
            view.add_item(MoreButton(self.answer_id, following))
        await reply_privately(interaction, embed=answer_embed(answer, start=self.start), view=view)


class ContextButton(discord.ui.DynamicItem[discord.ui.Button], template=CONTEXT_ID):
    def __init__(self, doc_id: str, start: int, end: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Context",
                emoji="📄",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ctx:{doc_id}:{start}:{end}",
            )
        )
        self.doc_id, self.start, self.end = doc_id, start, end

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ContextButton:
        return cls(match["doc"], int(match["start"]), int(match["end"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        engine = _bot(interaction).service.engine
        found = engine.quote_at(self.doc_id, self.start, self.end)
        if found is None:
            await reply_privately(
                interaction,
                embed=error_embed("That passage is no longer in the corpus (it was reloaded). Please ask again."),
            )
            return
        paragraph, span = engine.context(found)
        await reply_privately(interaction, embed=context_embed(found, paragraph, span))


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_ID):
    def __init__(self, up: bool, answer_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                emoji="👍" if up else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"vote:{'up' if up else 'down'}:{answer_id}",
            )
        )
        self.up, self.answer_id = up, answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["way"] == "up", match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        counts = await _bot(interaction).service.vote(
            self.answer_id, interaction.user.id, self.up, interaction.guild_id, interaction.channel_id
        )
        thanks = "Thanks — marked as helpful." if self.up else "Thanks — marked as not helpful."
        if counts is None:
            thanks += " (Feedback could not be stored right now.)"
        await reply_privately(interaction, content=thanks)


DYNAMIC_ITEMS = (MoreButton, ContextButton, FeedbackButton)


def answer_view(answer: Answer, answer_id: str) -> discord.ui.View:
    """The buttons under an answer: More while there are more quotes, Context for the top quote, votes."""
    view = discord.ui.View(timeout=None)
    following = next_start(answer)
    if following is not None:
        view.add_item(MoreButton(answer_id, following))
    top = answer.quotes[0] if answer.quotes else (answer.suggestions[0] if answer.suggestions else None)
    if top is not None and len(top.doc_id) <= 64 and ":" not in top.doc_id:
        view.add_item(ContextButton(top.doc_id, top.start, top.end))
    if answer.answered:
        view.add_item(FeedbackButton(True, answer_id))
        view.add_item(FeedbackButton(False, answer_id))
    return view
