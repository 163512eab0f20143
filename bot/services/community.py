"""Where and to whom answers go in communities: threads, forum posts, sharing and deleting.

Pure decisions (no discord import), so the policy is tested without Discord: the Discord layer only
reports what it sees (is this a thread? is the answer public? who clicked?) and acts on the verdict.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from enum import Enum

from bot.records import ChannelConfig

logger = logging.getLogger(__name__)

THREAD_NAME_LIMIT = 100  # Discord's limit on a thread's name
FORUM_QUESTION_LIMIT = 500  # what the engine reads of a question anyway
REMEMBERED_POSTS = 10_000


class Placement(Enum):
    """Where an answer to a mention goes."""

    REPLY = "reply"  # a reply to the question, in the same channel (or the thread it was asked in)
    THREAD = "thread"  # a new public thread started on the question


def mention_placement(config: ChannelConfig, *, in_thread: bool, threads_possible: bool) -> Placement:
    """A new thread when the channel asks for threads and one can be started there, else a reply.

    No thread inside a thread or in DMs: inside a thread, the answer stays in that thread.
    """
    if config.threads and threads_possible and not in_thread:
        return Placement.THREAD
    return Placement.REPLY


def thread_on_answer(config: ChannelConfig, *, private: bool, in_thread: bool, threads_possible: bool) -> bool:
    """A public slash-command answer opens a thread on itself when the channel asks for threads."""
    return config.threads and not private and not in_thread and threads_possible


def thread_name(question: str) -> str:
    """A thread's name from the question: one line, within Discord's limit, never empty."""
    words = " ".join(question.split())
    if len(words) > THREAD_NAME_LIMIT:
        words = words[: THREAD_NAME_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return words or "corpusbot"


def forum_question(title: str, first_message: str) -> str:
    """A forum post's question: its title, then its first message when the bot could read one.

    Without the message-content intent the message arrives empty, and the title alone must do.
    """
    parts = [" ".join(part.split()) for part in (title, first_message)]
    return " — ".join(part for part in parts if part)[:FORUM_QUESTION_LIMIT]


def may_delete(clicker_id: int, asker_id: int, *, moderator: bool) -> bool:
    """Only the person who asked, or a moderator of the server, may delete a public answer."""
    return clicker_id == asker_id or moderator


class ForumMemory:
    """Forum posts already answered, so each post is answered once.

    Discord may announce a post again (a reconnect replays THREAD_CREATE). Bounded, oldest forgotten first.
    """

    def __init__(self, size: int = REMEMBERED_POSTS) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._size = size

    def first_time(self, post_id: int) -> bool:
        """True the first time a post is seen (and remembers it); False afterwards."""
        if post_id in self._seen:
            return False
        self._seen[post_id] = None
        while len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True

    def wants_answer(self, config: ChannelConfig, post_id: int, *, by_bot: bool) -> bool:
        """A new post in an opted-in, enabled forum, not opened by the bot itself, not answered before."""
        return config.forum and config.enabled and not by_bot and self.first_time(post_id)
