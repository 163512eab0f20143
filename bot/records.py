"""Plain records of what the bot keeps about questions: log entries and rows, votes, channel settings, stats.

Shared by the storage layer (which writes and reads them), the services (which decide what to write)
and the renderers (which show them); no I/O here, so any layer may import it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from bot.errors import BadFilter
from retrieval.models import Answer

Interface = Literal["slash", "mention", "chat", "cli", "timeline", "button", "menu", "forum"]


def utc_now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return datetime.now(UTC)


def new_answer_id() -> str:
    """Callers create the id before the row exists so feedback buttons can point at it immediately."""
    return uuid.uuid4().hex


def iso_z(moment: datetime) -> str:
    """ISO 8601 with a ``Z`` suffix, the form exports promise."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


When = datetime | date | str


def parse_when(value: When) -> datetime | date:
    """Accept what a user types on the command line: ``2024-05-01`` or ``2024-05-01T10:00[:00][Z]``."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One quoted span, enough to find it again: document id and line range."""

    doc_id: str
    line_start: int
    line_end: int

    def __str__(self) -> str:
        return f"{self.doc_id}:L{self.line_start}-L{self.line_end}"


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One question as the caller saw it; ``question``/``user_id`` may be dropped at write time by config."""

    interface: Interface
    question: str | None
    answered: bool
    reason: str | None = None
    sources: tuple[SourceRef, ...] = ()
    score: float | None = None
    latency_ms: int = 0
    corpus_version: str = ""
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None
    answer_id: str = field(default_factory=new_answer_id)
    ts: datetime = field(default_factory=utc_now)

    @classmethod
    def from_answer(
        cls,
        answer: Answer,
        *,
        interface: Interface,
        latency_ms: int,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
        answer_id: str | None = None,
    ) -> LogEntry:
        """Build the row from the answer itself so every interface logs the same fields the same way."""
        scores = [q.score for q in (*answer.quotes, *answer.suggestions)]
        return cls(
            interface=interface,
            question=answer.question,
            answered=answer.answered,
            reason=answer.reason,
            sources=tuple(SourceRef(q.doc_id, q.line_start, q.line_end) for q in answer.quotes),
            score=max(scores) if scores else None,
            latency_ms=latency_ms,
            corpus_version=answer.corpus_version,
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            answer_id=answer_id or new_answer_id(),
        )


@dataclass(frozen=True, slots=True)
class LogRow:
    """A stored question with the feedback it received."""

    id: int
    answer_id: str
    ts: datetime
    guild_id: int | None
    channel_id: int | None
    user_id: int | None
    interface: str
    question: str | None
    answered: bool
    reason: str | None
    sources: tuple[SourceRef, ...]
    score: float | None
    latency_ms: int
    corpus_version: str
    votes_up: int = 0
    votes_down: int = 0


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Every field narrows the result (they are AND-ed), so adding one can never widen a guild's view."""

    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None
    since: When | None = None
    until: When | None = None
    unanswered: bool = False
    text: str | None = None
    interface: Interface | None = None
    limit: int | None = 100
    offset: int = 0
    oldest_first: bool = False

    def __post_init__(self) -> None:
        """Reject bad dates and paging here, where the CLI and cogs can still turn them into a clear message."""
        for bound in (self.since, self.until):
            if bound is not None:
                try:
                    parse_when(bound)
                except ValueError as error:
                    raise BadFilter(str(error)) from None
        if self.limit is not None and self.limit < 0:
            raise BadFilter("limit must be >= 0")
        if self.offset < 0:
            raise BadFilter("offset must be >= 0")


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """Per-channel switches; ``private_by_default=None`` means follow the global setting.

    ``threads``: public answers open a thread; ``forum``: every new post of this forum channel is
    answered inside it. A thread follows its parent channel's settings.
    """

    guild_id: int
    channel_id: int
    enabled: bool = True
    log_questions: bool = True
    private_by_default: bool | None = None
    threads: bool = False
    forum: bool = False


@dataclass(frozen=True, slots=True)
class GuildStats:
    """What moderators see in /stats; lists are (key, count), largest first unless noted."""

    guild_id: int | None  # None: every guild (the host's `corpusbot stats`)
    channel_id: int | None
    since: datetime | None
    total: int
    answered: int
    per_channel: list[tuple[int | None, int]]
    per_day: list[tuple[str, int]]  # oldest day first
    top_questions: list[tuple[str, int]]
    top_sources: list[tuple[str, int]]
    gaps: list[tuple[str, int]]  # most frequent questions the bot abstained on
    votes_up: int
    votes_down: int
    answered_per_day: list[tuple[str, int]] = field(default_factory=list)  # same days as per_day
    refusal_votes_up: int = 0  # of votes_up, those on a refusal: rightly not answered
    refusal_votes_down: int = 0  # of votes_down, those on a refusal: "this should have been answered"
    disputed_gaps: list[tuple[str, int]] = field(default_factory=list)  # refused questions by 👎 received

    @property
    def answer_rate(self) -> float:
        """Share of questions answered (0 with no questions)."""
        return self.answered / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form; ids become strings because Discord snowflakes overflow JavaScript numbers."""
        return {
            "guild_id": None if self.guild_id is None else str(self.guild_id),
            "channel_id": None if self.channel_id is None else str(self.channel_id),
            "since": None if self.since is None else iso_z(self.since),
            "total": self.total,
            "answered": self.answered,
            "answer_rate": round(self.answer_rate, 4),
            "per_channel": [[None if c is None else str(c), n] for c, n in self.per_channel],
            "per_day": [list(item) for item in self.per_day],
            "top_questions": [list(item) for item in self.top_questions],
            "top_sources": [list(item) for item in self.top_sources],
            "gaps": [list(item) for item in self.gaps],
            "votes_up": self.votes_up,
            "votes_down": self.votes_down,
            "answered_per_day": [list(item) for item in self.answered_per_day],
            "refusal_votes_up": self.refusal_votes_up,
            "refusal_votes_down": self.refusal_votes_down,
            "disputed_gaps": [list(item) for item in self.disputed_gaps],
        }
