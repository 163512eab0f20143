"""What a Discord place is, as the community policy (`bot.services.community`) needs to know it."""

from __future__ import annotations

import logging

import discord

from bot.i18n import language

logger = logging.getLogger(__name__)


def in_thread(channel: object) -> bool:
    """Whether the channel is a thread (or a forum post)."""
    return isinstance(channel, discord.Thread)


def threads_possible(channel: object) -> bool:
    """Public threads can be started on messages of text and announcement channels (not DMs, not threads)."""
    return isinstance(channel, discord.TextChannel)


def settings_channel_id(channel: object) -> int | None:
    """The channel whose settings apply: a thread (or forum post) follows its parent channel."""
    if isinstance(channel, discord.Thread):
        return channel.parent_id
    return getattr(channel, "id", None)


def guild_language(guild: discord.Guild | None) -> str:
    """A message carries no locale: answer in the server's preferred language (English in DMs)."""
    return language(guild.preferred_locale) if guild is not None else "en"


def is_forum_starter(message: discord.Message) -> bool:
    """The first message of a forum post shares the post's id."""
    channel = message.channel
    return (
        isinstance(channel, discord.Thread)
        and message.id == channel.id
        and isinstance(channel.parent, discord.ForumChannel)
    )


def logged_channel_id(interaction: discord.Interaction) -> int | None:
    """The channel a question is logged under: a thread's parent, whose settings (logging on or off) apply."""
    return settings_channel_id(interaction.channel) or interaction.channel_id
