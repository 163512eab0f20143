"""Reply policy: who gets an answer, whether it is private, who may press which button, who is staff.

Decided here, on plain ids and flags, so the rules are unit-tested without Discord; the cogs only
gather the facts (ids, permissions, the owner check) and render the outcome.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from bot.services.channels import ChannelSettings
from bot.settings import Settings
from retrieval.models import Answer

logger = logging.getLogger(__name__)

Refusal = Literal["disabled", "cooldown"]
OwnerCheck = Callable[[], Awaitable[bool]]


class Cooldowns:
    """Per-user cooldown: a user may ask once every ``seconds``, whichever process (shard) they ask through.

    ``on_start(user_id)`` is told when a user's clock restarts here; ``restart`` applies a start
    announced by another process (see `bot.services.sharing`).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.on_start: Callable[[int], None] | None = None
        self._last: dict[int, float] = {}

    def restart(self, user_id: int) -> None:
        """The user just asked through another process: their wait starts now here too."""
        if self.seconds:
            self._last[user_id] = time.monotonic()

    def remaining(self, user_id: int) -> float:
        """Seconds the user must still wait, 0 if they may ask now (and then the clock restarts)."""
        now = time.monotonic()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        if self.on_start is not None and self.seconds:
            self.on_start(user_id)
        if len(self._last) > 10_000:  # forget users idle for longer than the cooldown
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
        return 0.0


class AnswerCache:
    """The most recent answers by id, for "More"; old ones fall out first."""

    def __init__(self, size: int = 2000) -> None:
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._size = size

    def put(self, answer_id: str, answer: Answer) -> None:
        """Remember an answer (the newest stays longest)."""
        self._answers[answer_id] = answer
        self._answers.move_to_end(answer_id)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)

    def get(self, answer_id: str) -> Answer | None:
        """The answer, or None once it fell out (or the bot restarted)."""
        return self._answers.get(answer_id)


@dataclass(frozen=True, slots=True)
class Admission:
    """The outcome of the gate in front of a question: refused (and why), or answered publicly or privately."""

    refusal: Refusal | None = None
    private: bool = False
    wait: float = 0.0  # seconds left on the asker's cooldown when refused for it


def may_press(owner_id: int, user_id: int) -> bool:
    """Paging and confirmation buttons belong to the person who ran the command."""
    return owner_id == user_id


class ReplyPolicy:
    """The channel switch, the cooldown and answer visibility, and the staff checks."""

    def __init__(self, settings: Settings, channels: ChannelSettings) -> None:
        self._settings = settings
        self._channels = channels
        self.cooldowns = Cooldowns(settings.cooldown_seconds)

    async def admit(
        self, guild_id: int | None, channel_id: int | None, user_id: int, chosen: bool | None = None
    ) -> Admission:
        """Gate for a question: the channel switch first, then the asker's cooldown.

        A private answer is the asker's choice, else the channel's default, else the global one.
        """
        config = await self._channels.get(guild_id, channel_id)
        if not config.enabled:
            return Admission("disabled")
        wait = self.cooldowns.remaining(user_id)
        if wait:
            return Admission("cooldown", wait=wait)
        if chosen is not None:
            private = chosen
        elif config.private_by_default is not None:
            private = config.private_by_default
        else:
            private = self._settings.private_by_default
        return Admission(private=private)

    async def is_admin(self, user_id: int, owns_application: OwnerCheck) -> bool:
        """Admins: CORPUSBOT_ADMIN_IDS, and the application's owner (or team members).

        The owner check may call Discord, so it runs only when the ids do not already decide.
        """
        return user_id in self._settings.admin_ids or await owns_application()

    async def is_moderator(
        self, user_id: int, *, in_guild: bool, manage_messages: bool, role_ids: list[int], owns_application: OwnerCheck
    ) -> bool:
        """Manage Messages in the server, the configured moderator role, or a bot admin; never in DMs."""
        if not in_guild:
            return False
        role_id = self._settings.moderator_role_id
        if manage_messages or (role_id is not None and role_id in role_ids):
            return True
        return await self.is_admin(user_id, owns_application)
