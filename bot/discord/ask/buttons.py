"""Buttons under an answer: More, Context, 👍 / 👎.

They are DynamicItems: the custom id carries what the click needs (answer id, document span), so the
buttons keep working after a restart. "More" needs the answer itself, which the corpus service keeps
for a while; after a restart it says so politely instead of failing. discord.py builds a clicked
button from its class, so the services reach the buttons through classes bound to them
(`AnswerButtons`), never through ``interaction.client``.
"""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar, TypeVar

import discord

from bot.discord.ask.render import answer_embed, context_embed, error_embed, next_start
from bot.discord.ui.replies import reply_privately
from bot.services.container import Services
from retrieval.models import Answer

logger = logging.getLogger(__name__)

EXPIRED = "That answer is no longer in my memory (I may have restarted). Please ask again."
GONE = "That passage is no longer in the corpus (it was reloaded). Please ask again."

MORE_ID = r"more:(?P<answer>[0-9a-f]{32}):(?P<start>\d{1,3})"
CONTEXT_ID = r"ctx:(?P<doc>[^:]{1,64}):(?P<start>\d{1,9}):(?P<end>\d{1,9})"
VOTE_ID = r"vote:(?P<way>up|down):(?P<answer>[0-9a-f]{32})"


class _AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button whose class is bound to the services (see `AnswerButtons`)."""

    services: ClassVar[Services]


class MoreButton(_AnswerButton, template=MORE_ID):
    """The next quotes of an answer, shown privately to whoever clicks."""

    def __init__(self, answer_id: str, start: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="More", emoji="➕", style=discord.ButtonStyle.secondary, custom_id=f"more:{answer_id}:{start}"
            )
        )
        self.answer_id, self.start = answer_id, start

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoreButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["answer"], int(match["start"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Reply with the quotes from ``start`` on, and a further More while there are more."""
        answer = self.services.corpus.recall(self.answer_id)
        if answer is None:
            await reply_privately(interaction, content=EXPIRED)
            return
        view = discord.ui.View(timeout=None)
        following = next_start(answer, self.start)
        if following is not None:
            view.add_item(type(self)(self.answer_id, following))
        await reply_privately(interaction, embed=answer_embed(answer, start=self.start), view=view)


class ContextButton(_AnswerButton, template=CONTEXT_ID):
    """The whole paragraph around the top quote, shown privately to whoever clicks."""

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ContextButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["doc"], int(match["start"]), int(match["end"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Reply with the paragraph, or say the passage is gone after a reload."""
        found = self.services.corpus.context(self.doc_id, self.start, self.end)
        if found is None:
            await reply_privately(interaction, embed=error_embed(GONE))
            return
        await reply_privately(interaction, embed=context_embed(found.quote, found.paragraph, found.span))


class FeedbackButton(_AnswerButton, template=VOTE_ID):
    """👍 or 👎 on an answer; a second click by the same person replaces their vote."""

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["way"] == "up", match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Store the vote and thank the voter privately (saying so when it could not be stored)."""
        counts = await self.services.recorder.vote(
            self.answer_id, interaction.user.id, self.up, interaction.guild_id, interaction.channel_id
        )
        thanks = "Thanks — marked as helpful." if self.up else "Thanks — marked as not helpful."
        if counts is None:
            thanks += " (Feedback could not be stored right now.)"
        await reply_privately(interaction, content=thanks)


ButtonT = TypeVar("ButtonT", bound=_AnswerButton)


def _bound(cls: type[ButtonT], services: Services) -> type[ButtonT]:
    """A subclass of ``cls`` (same template) whose instances use ``services``."""
    template = cls.__discord_ui_compiled_template__
    return type(cls.__name__, (cls,), {"services": services, "__module__": cls.__module__}, template=template)


class AnswerButtons:
    """The answer buttons bound to one services container: register ``items``, build views with `view`."""

    def __init__(self, services: Services) -> None:
        self.more = _bound(MoreButton, services)
        self.context = _bound(ContextButton, services)
        self.feedback = _bound(FeedbackButton, services)
        self.items: tuple[type[_AnswerButton], ...] = (self.more, self.context, self.feedback)

    def view(self, answer: Answer, answer_id: str) -> discord.ui.View:
        """The buttons under an answer: More while there are more quotes, Context for the top quote, votes."""
        view = discord.ui.View(timeout=None)
        following = next_start(answer)
        if following is not None:
            view.add_item(self.more(answer_id, following))
        top = answer.quotes[0] if answer.quotes else (answer.suggestions[0] if answer.suggestions else None)
        if top is not None and len(top.doc_id) <= 64 and ":" not in top.doc_id:
            view.add_item(self.context(top.doc_id, top.start, top.end))
        if answer.answered:
            view.add_item(self.feedback(True, answer_id))
            view.add_item(self.feedback(False, answer_id))
        return view
