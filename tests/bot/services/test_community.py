"""Thread, forum, sharing and deleting policy, without Discord."""

from __future__ import annotations

from bot.records import ChannelConfig
from bot.services.community import (
    ForumMemory,
    Placement,
    forum_question,
    may_delete,
    mention_placement,
    thread_name,
    thread_on_answer,
)

PLAIN = ChannelConfig(1, 2)
THREADED = ChannelConfig(1, 2, threads=True)
FORUM = ChannelConfig(1, 3, forum=True)


def test_mentions_open_threads_only_where_asked_and_possible() -> None:
    assert mention_placement(PLAIN, in_thread=False, threads_possible=True) is Placement.REPLY
    assert mention_placement(THREADED, in_thread=False, threads_possible=True) is Placement.THREAD
    assert mention_placement(THREADED, in_thread=True, threads_possible=True) is Placement.REPLY  # answered there
    assert mention_placement(THREADED, in_thread=False, threads_possible=False) is Placement.REPLY  # e.g. DMs


def test_slash_answers_open_a_thread_only_when_public() -> None:
    assert thread_on_answer(THREADED, private=False, in_thread=False, threads_possible=True)
    assert not thread_on_answer(THREADED, private=True, in_thread=False, threads_possible=True)
    assert not thread_on_answer(THREADED, private=False, in_thread=True, threads_possible=True)
    assert not thread_on_answer(PLAIN, private=False, in_thread=False, threads_possible=True)


def test_thread_names_fit_and_are_never_empty() -> None:
    assert thread_name("  Who is\nRicardo Vaz? ") == "Who is Ricardo Vaz?"
    long = thread_name("word " * 40)
    assert len(long) <= 100 and long.endswith("…") and not long.endswith(" …")
    assert thread_name("   ") == "corpusbot"


def test_forum_question_uses_the_title_and_a_readable_first_message() -> None:
    assert forum_question("Who is Ricardo Vaz?", "") == "Who is Ricardo Vaz?"
    assert forum_question("Vaz", "Where does he  work?") == "Vaz — Where does he work?"
    assert len(forum_question("t", "x" * 900)) == 500


def test_forum_posts_are_answered_once_and_only_when_opted_in() -> None:
    memory = ForumMemory(size=2)
    assert not memory.wants_answer(PLAIN, 10, by_bot=False)
    assert not memory.wants_answer(ChannelConfig(1, 3, forum=True, enabled=False), 10, by_bot=False)
    assert not memory.wants_answer(FORUM, 11, by_bot=True)
    assert memory.wants_answer(FORUM, 12, by_bot=False)
    assert not memory.wants_answer(FORUM, 12, by_bot=False)
    memory.first_time(13)
    memory.first_time(14)  # 12 falls out of the bounded memory
    assert memory.first_time(12)


def test_only_the_asker_or_a_moderator_may_delete() -> None:
    assert may_delete(5, 5, moderator=False)
    assert may_delete(6, 5, moderator=True)
    assert not may_delete(6, 5, moderator=False)
