"""Buttons under an answer: More, Context, 👍 / 👎 (on refusals too), 🗑 and "Post to channel".

They are DynamicItems: the custom id carries what the click needs (answer id, document span, who
asked, the label's language), so the buttons keep working after a restart. "More" and "Post to
channel" need the answer itself, which the corpus service keeps for a while; after a restart they say
so politely instead of failing. discord.py builds a clicked button from its class, so the services
reach the buttons through classes bound to them (`AnswerButtons`), never through
``interaction.client``. Replies to a click are in the clicker's language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

import discord

from bot.discord.ask.render import answer_embed, context_embed, error_embed, next_start
from bot.discord.ui.replies import NONE, reply_privately
from bot.i18n import language, say
from bot.services.community import may_delete
from bot.services.container import Services
from retrieval.models import Answer

logger = logging.getLogger(__name__)

OwnerCheck = Callable[[discord.abc.User], Awaitable[bool]]
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


class _AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button whose class is bound to the services and the owner check (see `AnswerButtons`)."""

    services: ClassVar[Services]
    buttons: ClassVar[AnswerButtons]


class MoreButton(_AnswerButton, template=MORE_ID):
    """The next quotes of an answer, shown privately to whoever clicks."""

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoreButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["answer"], int(match["start"]), _lang(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Reply with the quotes from ``start`` on, and a further More while there are more."""
        lang = language(interaction.locale)
        answer = self.services.corpus.recall(self.answer_id)
        if answer is None:
            await reply_privately(interaction, content=say("expired", lang))
            return
        view = discord.ui.View(timeout=None)
        following = next_start(answer, self.start)
        if following is not None:
            view.add_item(type(self)(self.answer_id, following, lang))
        await reply_privately(interaction, embed=answer_embed(answer, start=self.start, lang=lang), view=view)


class ContextButton(_AnswerButton, template=CONTEXT_ID):
    """The whole paragraph around the top quote, shown privately to whoever clicks."""

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ContextButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["doc"], int(match["start"]), int(match["end"]), _lang(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Reply with the paragraph, or say the passage is gone after a reload."""
        lang = language(interaction.locale)
        found = self.services.corpus.context(self.doc_id, self.start, self.end)
        if found is None:
            await reply_privately(interaction, embed=error_embed(say("passage_gone", lang), lang=lang))
            return
        embed = context_embed(found.quote, found.paragraph, found.span, lang=lang)
        await reply_privately(interaction, embed=embed)


class FeedbackButton(_AnswerButton, template=VOTE_ID):
    """👍 or 👎; a second click by the same person replaces their vote.

    On a refusal they mean "rightly not answered" / "this should have been answered", which /stats
    counts as coverage gaps.
    """

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["way"] == "up", match["answer"], bool(match["refusal"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Store the vote and thank the voter privately (saying so when it could not be stored)."""
        lang = language(interaction.locale)
        counts = await self.services.recorder.vote(self.answer_id, interaction.user.id, self.up)
        key = ("thanks_refusal_" if self.refusal else "thanks_") + ("up" if self.up else "down")
        thanks = say(key, lang) + ("" if counts is not None else say("vote_not_stored", lang))
        await reply_privately(interaction, content=thanks)


class DeleteButton(_AnswerButton, template=DELETE_ID):
    """🗑 under a public answer: deletes it for the person who asked or a moderator, refuses anyone else."""

    def __init__(self, asker_id: int) -> None:
        super().__init__(discord.ui.Button(emoji="🗑️", style=discord.ButtonStyle.secondary, custom_id=f"del:{asker_id}"))
        self.asker_id = asker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeleteButton:
        """Rebuild the clicked button from its custom id."""
        return cls(int(match["asker"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Delete the answer message, or tell the clicker privately that only the asker or a moderator may."""
        lang = language(interaction.locale)
        user = interaction.user
        moderator = user.id != self.asker_id and await self.services.policy.is_moderator(
            user.id,
            in_guild=interaction.guild_id is not None,
            manage_messages=interaction.permissions.manage_messages,
            role_ids=[role.id for role in user.roles] if isinstance(user, discord.Member) else [],
            owns_application=lambda: self.buttons.is_owner(user),
        )
        if not may_delete(user.id, self.asker_id, moderator=moderator):
            logger.info("refused to delete an answer for user %s", user.id)
            await reply_privately(interaction, content=say("delete_refused", lang))
            return
        await reply_privately(interaction, content=say("deleted", lang))
        if interaction.message is not None:
            await interaction.message.delete()


class PostButton(_AnswerButton, template=POST_ID):
    """Post to channel, under a private answer: shares it publicly, with the public answer's buttons."""

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PostButton:
        """Rebuild the clicked button from its custom id."""
        return cls(match["answer"], _lang(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Post the answer in the channel; whoever shared it may delete it."""
        answer = self.services.corpus.recall(self.answer_id)
        if answer is None:
            await reply_privately(interaction, content=say("expired", language(interaction.locale)))
            return
        view = self.buttons.view(answer, self.answer_id, asker_id=interaction.user.id, lang=self.lang)
        await interaction.response.send_message(
            embed=answer_embed(answer, lang=self.lang), view=view, allowed_mentions=NONE
        )


ButtonT = TypeVar("ButtonT", bound=_AnswerButton)


def _bound(cls: type[ButtonT], services: Services, buttons: AnswerButtons) -> type[ButtonT]:
    """A subclass of ``cls`` (same template) whose instances use ``services`` and ``buttons``."""
    template = cls.__discord_ui_compiled_template__
    namespace = {"services": services, "buttons": buttons, "__module__": cls.__module__}
    return type(cls.__name__, (cls,), namespace, template=template)


class AnswerButtons:
    """The answer buttons bound to one services container and the application-owner check.

    The owner check lets a bot admin use 🗑. Register ``items``, build views with `view`.
    """

    def __init__(self, services: Services, is_owner: OwnerCheck) -> None:
        self.is_owner = is_owner
        self.more = _bound(MoreButton, services, self)
        self.context = _bound(ContextButton, services, self)
        self.feedback = _bound(FeedbackButton, services, self)
        self.delete = _bound(DeleteButton, services, self)
        self.post = _bound(PostButton, services, self)
        self.items: tuple[type[_AnswerButton], ...] = (self.more, self.context, self.feedback, self.delete, self.post)

    def view(
        self,
        answer: Answer,
        answer_id: str,
        *,
        asker_id: int | None = None,
        lang: str = "en",
        shareable: bool = False,
    ) -> discord.ui.View:
        """The buttons under an answer.

        More while there are more quotes, Context for the top quote, votes (on refusals too), 🗑 on a
        public answer (``asker_id``: who may delete it), "Post to channel" on a private one that may be
        shared.
        """
        view = discord.ui.View(timeout=None)
        following = next_start(answer)
        if following is not None:
            view.add_item(self.more(answer_id, following, lang))
        top = answer.quotes[0] if answer.quotes else (answer.suggestions[0] if answer.suggestions else None)
        if top is not None and len(top.doc_id) <= 64 and ":" not in top.doc_id:
            view.add_item(self.context(top.doc_id, top.start, top.end, lang))
        view.add_item(self.feedback(True, answer_id, not answer.answered))
        view.add_item(self.feedback(False, answer_id, not answer.answered))
        if asker_id is not None:
            view.add_item(self.delete(asker_id))
        if shareable:
            view.add_item(self.post(answer_id, lang))
        return view
