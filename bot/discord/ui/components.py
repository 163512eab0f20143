"""Buttons under an answer: More, Context, 👍 / 👎 (on refusals too), 🗑 and "Post to channel".

They are DynamicItems: the custom id carries what the click needs (answer id, document span, who
asked, the button's language), so the buttons keep working after a restart. "More" and "Post to
channel" need the answer itself, held in a bounded in-memory cache; after a restart they say so
politely instead of failing. Replies to a click are in the clicker's language.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.ask.render import answer_embed, context_embed, error_embed, next_start
from bot.i18n import language, say
from bot.services.community import may_delete
from retrieval.models import Answer

if TYPE_CHECKING:
    from bot.discord.app import CorpusBot

logger = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()


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


LANG = r"(?::(?P<lang>[a-z]{2}))?"  # the language of the button's label (absent on older buttons: English)
MORE_ID = rf"more:(?P<answer>[0-9a-f]{{32}}):(?P<start>\d{{1,3}}){LANG}"
CONTEXT_ID = rf"ctx:(?P<doc>[^:]{{1,64}}):(?P<start>\d{{1,9}}):(?P<end>\d{{1,9}}){LANG}"
VOTE_ID = r"vote:(?P<way>up|down):(?P<answer>[0-9a-f]{32})(?P<refusal>:r)?"
DELETE_ID = r"del:(?P<asker>\d{1,20})"
POST_ID = rf"post:(?P<answer>[0-9a-f]{{32}}){LANG}"


def _suffix(lang: str) -> str:
    return "" if lang == "en" else f":{lang}"


def _lang(match: re.Match[str]) -> str:
    return match["lang"] or "en"


class MoreButton(discord.ui.DynamicItem[discord.ui.Button], template=MORE_ID):
    def __init__(self, answer_id: str, start: int, lang: str = "en") -> None:
        super().__init__(
            discord.ui.Button(
                label=say("more", lang),
                emoji="➕",
                style=discord.ButtonStyle.secondary,
                custom_id=f"more:{answer_id}:{start}{_suffix(lang)}",
            )
        )
        self.answer_id, self.start, self.lang = answer_id, start, lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MoreButton:
        return cls(match["answer"], int(match["start"]), _lang(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        lang = language(interaction.locale)
        answer = _bot(interaction).answers.get(self.answer_id)
        if answer is None:
            await reply_privately(interaction, content=say("expired", lang))
            return
        view = discord.ui.View(timeout=None)
        following = next_start(answer, self.start)
        if following is not None:
            view.add_item(MoreButton(self.answer_id, following, lang))
        await reply_privately(interaction, embed=answer_embed(answer, start=self.start, lang=lang), view=view)


class ContextButton(discord.ui.DynamicItem[discord.ui.Button], template=CONTEXT_ID):
    def __init__(self, doc_id: str, start: int, end: int, lang: str = "en") -> None:
        super().__init__(
            discord.ui.Button(
                label=say("context", lang),
                emoji="📄",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ctx:{doc_id}:{start}:{end}{_suffix(lang)}",
            )
        )
        self.doc_id, self.start, self.end = doc_id, start, end

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ContextButton:
        return cls(match["doc"], int(match["start"]), int(match["end"]), _lang(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        lang = language(interaction.locale)
        engine = _bot(interaction).service.engine
        found = engine.quote_at(self.doc_id, self.start, self.end)
        if found is None:
            await reply_privately(interaction, embed=error_embed(say("passage_gone", lang), lang=lang))
            return
        paragraph, span = engine.context(found)
        await reply_privately(interaction, embed=context_embed(found, paragraph, span, lang=lang))


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_ID):
    """👍 / 👎; on a refusal they mean "rightly not answered" / "this should have been answered"."""

    def __init__(self, up: bool, answer_id: str, refusal: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                emoji="👍" if up else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"vote:{'up' if up else 'down'}:{answer_id}{':r' if refusal else ''}",
            )
        )
        self.up, self.answer_id, self.refusal = up, answer_id, refusal

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["way"] == "up", match["answer"], bool(match["refusal"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        lang = language(interaction.locale)
        counts = await _bot(interaction).service.vote(self.answer_id, interaction.user.id, self.up)
        key = ("thanks_refusal_" if self.refusal else "thanks_") + ("up" if self.up else "down")
        thanks = say(key, lang) + ("" if counts is not None else say("vote_not_stored", lang))
        await reply_privately(interaction, content=thanks)


class DeleteButton(discord.ui.DynamicItem[discord.ui.Button], template=DELETE_ID):
    """🗑 under a public answer: deletes it for the person who asked or a moderator, refuses anyone else."""

    def __init__(self, asker_id: int) -> None:
        super().__init__(discord.ui.Button(emoji="🗑️", style=discord.ButtonStyle.secondary, custom_id=f"del:{asker_id}"))
        self.asker_id = asker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteButton:
        return cls(int(match["asker"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        lang = language(interaction.locale)
        bot = _bot(interaction)
        moderator = await bot.is_moderator(interaction)
        if not may_delete(interaction.user.id, self.asker_id, moderator=moderator):
            logger.info("refused to delete an answer for user %s", interaction.user.id)
            await reply_privately(interaction, content=say("delete_refused", lang))
            return
        await reply_privately(interaction, content=say("deleted", lang))
        if interaction.message is not None:
            await interaction.message.delete()


class PostButton(discord.ui.DynamicItem[discord.ui.Button], template=POST_ID):
    """ "Post to channel" under a private answer: shares it publicly, with the public answer's buttons."""

    def __init__(self, answer_id: str, lang: str = "en") -> None:
        super().__init__(
            discord.ui.Button(
                label=say("post_to_channel", lang),
                emoji="📣",
                style=discord.ButtonStyle.primary,
                custom_id=f"post:{answer_id}{_suffix(lang)}",
            )
        )
        self.answer_id, self.lang = answer_id, lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PostButton:
        return cls(match["answer"], _lang(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        answer = _bot(interaction).answers.get(self.answer_id)
        if answer is None:
            await reply_privately(interaction, content=say("expired", language(interaction.locale)))
            return
        view = answer_view(answer, self.answer_id, asker_id=interaction.user.id, lang=self.lang)
        await interaction.response.send_message(
            embed=answer_embed(answer, lang=self.lang), view=view, allowed_mentions=NONE
        )


DYNAMIC_ITEMS = (MoreButton, ContextButton, FeedbackButton, DeleteButton, PostButton)


def answer_view(
    answer: Answer, answer_id: str, *, asker_id: int | None = None, lang: str = "en", shareable: bool = False
) -> discord.ui.View:
    """The buttons under an answer: More while there are more quotes, Context for the top quote, votes (on
    refusals too), 🗑 for a public answer (``asker_id``: who may delete it), "Post to channel" when private
    and ``shareable``."""
    view = discord.ui.View(timeout=None)
    following = next_start(answer)
    if following is not None:
        view.add_item(MoreButton(answer_id, following, lang))
    top = answer.quotes[0] if answer.quotes else (answer.suggestions[0] if answer.suggestions else None)
    if top is not None and len(top.doc_id) <= 64 and ":" not in top.doc_id:
        view.add_item(ContextButton(top.doc_id, top.start, top.end, lang))
    view.add_item(FeedbackButton(True, answer_id, refusal=not answer.answered))
    view.add_item(FeedbackButton(False, answer_id, refusal=not answer.answered))
    if asker_id is not None:
        view.add_item(DeleteButton(asker_id))
    if shareable:
        view.add_item(PostButton(answer_id, lang))
    return view
