"""Views that belong to the person who opened them: paginated embeds, and the base they share.

Only the invoker may press the buttons (anyone else is told so privately, and nothing changes), and
the buttons are disabled when the view times out, so a stale message never offers dead controls.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

import discord

from bot.discord.ui.replies import NONE, reply_privately
from bot.i18n import language, say
from bot.services.policy import may_press

logger = logging.getLogger(__name__)


class OwnedView(discord.ui.View):
    """A view only ``owner_id`` may use; send it with `send` so it can disable itself on timeout."""

    def __init__(self, owner_id: int, timeout: float | None = 300) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self._origin: discord.Interaction | None = None  # its original response carries the view
        self._message: discord.WebhookMessage | None = None  # or this follow-up does

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Let the owner through; tell anyone else privately that the buttons are not theirs."""
        if may_press(self.owner_id, interaction.user.id):
            return True
        await reply_privately(interaction, content=say("not_yours", language(interaction.locale)))
        return False

    def disable(self) -> None:
        """Grey out every control (the message must still be edited for users to see it)."""
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def send(self, interaction: discord.Interaction, *, ephemeral: bool = True, **kwargs: Any) -> None:
        """Reply to ``interaction`` with this view attached (as a follow-up if it was already answered)."""
        kwargs.setdefault("allowed_mentions", NONE)
        if interaction.response.is_done():
            self._message = await interaction.followup.send(view=self, ephemeral=ephemeral, wait=True, **kwargs)
        else:
            await interaction.response.send_message(view=self, ephemeral=ephemeral, **kwargs)
            self._origin = interaction

    async def edit(self, **kwargs: Any) -> None:
        """Edit the message carrying the view; a vanished message (deleted, token expired) is ignored."""
        with contextlib.suppress(discord.HTTPException):
            if self._message is not None:
                await self._message.edit(**kwargs)
            elif self._origin is not None:
                await self._origin.edit_original_response(**kwargs)

    async def on_timeout(self) -> None:
        """Grey out the buttons once nobody can use them any more."""
        self.disable()
        await self.edit(view=self)
        logger.debug("%s of user %d timed out", type(self).__name__, self.owner_id)


class Paginator(OwnedView):
    """Embeds shown one at a time with First / Prev / page label / Next / Last buttons.

    One page is sent without buttons. Reusable by any command: build the pages, then
    ``await Paginator(pages, interaction.user.id).send(interaction)``.
    """

    def __init__(self, pages: list[discord.Embed], owner_id: int, timeout: float = 300) -> None:
        if not pages:
            raise ValueError("a paginator needs at least one page")
        super().__init__(owner_id, timeout)
        self.pages = pages
        self.index = 0
        prefix = f"page:{secrets.token_hex(6)}"
        self.first = self._button("⏮", f"{prefix}:first", lambda: 0)
        self.prev = self._button("◀", f"{prefix}:prev", lambda: self.index - 1)
        self.label: discord.ui.Button[Paginator] = discord.ui.Button(
            style=discord.ButtonStyle.secondary, custom_id=f"{prefix}:label", disabled=True
        )
        self.add_item(self.label)
        self.next = self._button("▶", f"{prefix}:next", lambda: self.index + 1)
        self.last = self._button("⏭", f"{prefix}:last", lambda: len(self.pages) - 1)
        self._sync()

    def _button(self, emoji: str, custom_id: str, target: Callable[[], int]) -> discord.ui.Button[Paginator]:
        button: discord.ui.Button[Paginator] = discord.ui.Button(
            emoji=emoji, style=discord.ButtonStyle.primary, custom_id=custom_id
        )

        async def turn(interaction: discord.Interaction) -> None:
            await self.show(interaction, target())

        button.callback = turn  # type: ignore[method-assign]
        self.add_item(button)
        return button

    def _sync(self) -> None:
        """Label the current page and enable only the moves that lead somewhere."""
        self.label.label = f"{self.index + 1} / {len(self.pages)}"
        at_start, at_end = self.index == 0, self.index == len(self.pages) - 1
        self.first.disabled = self.prev.disabled = at_start
        self.next.disabled = self.last.disabled = at_end

    @property
    def page(self) -> discord.Embed:
        """The page shown now."""
        return self.pages[self.index]

    async def show(self, interaction: discord.Interaction, index: int) -> None:
        """Answer a button press by turning the message to page ``index`` (clamped)."""
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync()
        await interaction.response.edit_message(embed=self.page, view=self)

    async def send(self, interaction: discord.Interaction, *, ephemeral: bool = True, **kwargs: Any) -> None:
        """Reply with the first page; more than one page brings the buttons."""
        if len(self.pages) > 1:
            await super().send(interaction, ephemeral=ephemeral, embed=self.page, **kwargs)
            return
        self.stop()
        kwargs.setdefault("allowed_mentions", NONE)
        if interaction.response.is_done():
            await interaction.followup.send(embed=self.page, ephemeral=ephemeral, **kwargs)
        else:
            await interaction.response.send_message(embed=self.page, ephemeral=ephemeral, **kwargs)
