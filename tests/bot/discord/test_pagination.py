"""The Paginator through the fake Discord, on a throwaway client: only the invoker pages, pages change,
buttons go grey on timeout; plus the page-state rules on their own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands

from bot.discord.ui.pagination import Paginator
from bot.i18n import say
from tests.fakediscord import FakeDiscord, StoredMessage, connected


def pages(count: int) -> list[discord.Embed]:
    return [discord.Embed(title=f"Page {n}", description=f"body {n}") for n in range(1, count + 1)]


def button(message: StoredMessage, action: str) -> str:
    """The custom id of the paginator's ``action`` button (first, prev, label, next, last)."""
    return next(i for i in message.custom_ids() if i.endswith(f":{action}"))


def disabled(message: StoredMessage) -> dict[str, bool]:
    return {i.rsplit(":", 1)[1]: bool((message.find_component(i) or {}).get("disabled")) for i in message.custom_ids()}


@pytest.fixture
async def pager_bot(fake_discord: FakeDiscord) -> AsyncIterator[discord.Client]:
    """A client whose /pages sends ``count`` pages (deferring first when asked) with a ``timeout``."""
    client = discord.Client(intents=discord.Intents.default())
    tree = app_commands.CommandTree(client)

    @tree.command(name="pages", description="paged test output")
    async def pages_command(interaction: discord.Interaction, count: int, timeout: float, defer: bool = False) -> None:
        if defer:
            await interaction.response.defer(ephemeral=True, thinking=True)
        await Paginator(pages(count), interaction.user.id, timeout=timeout).send(interaction)

    async with connected(client, fake_discord):
        await tree.sync()
        yield client
    fake_discord.assert_clean()


def test_a_paginator_needs_pages() -> None:
    with pytest.raises(ValueError):
        Paginator([], owner_id=1)


async def test_buttons_lead_only_somewhere() -> None:
    view = Paginator(pages(3), owner_id=1)
    assert view.label.label == "1 / 3" and view.first.disabled and view.prev.disabled
    assert not view.next.disabled and not view.last.disabled
    view.index = 2
    view._sync()
    assert view.label.label == "3 / 3" and view.next.disabled and view.last.disabled and not view.prev.disabled


async def test_invoker_pages_others_are_refused(pager_bot: discord.Client, fake_discord: FakeDiscord) -> None:
    owner, other = fake_discord.mod_user, fake_discord.member_user
    sent = await fake_discord.send_command("pages", {"count": 3, "timeout": 30.0}, user=owner)
    message = await sent.wait_for_answer()
    assert message.ephemeral and message.embeds[0]["title"] == "Page 1"

    refused = await (await fake_discord.click(message, button(message, "next"), user=other)).wait_for_answer()
    assert refused.ephemeral and refused.content == say("not_yours")
    spanish = await (
        await fake_discord.click(message, button(message, "next"), user=other, locale="es-ES")
    ).wait_for_answer()
    assert spanish.content == say("not_yours", "es") and spanish.content.startswith("Estos botones")
    assert message.embeds[0]["title"] == "Page 1"

    await (await fake_discord.click(message, button(message, "next"), user=owner)).wait_for_response()
    assert message.embeds[0]["title"] == "Page 2"
    assert (message.find_component(button(message, "label")) or {})["label"] == "2 / 3"
    await (await fake_discord.click(message, button(message, "last"), user=owner)).wait_for_response()
    assert message.embeds[0]["title"] == "Page 3"
    assert disabled(message) == {"first": False, "prev": False, "label": True, "next": True, "last": True}
    await (await fake_discord.click(message, button(message, "first"), user=owner)).wait_for_response()
    assert message.embeds[0]["title"] == "Page 1"


@pytest.mark.parametrize("defer", [False, True])
async def test_buttons_are_disabled_after_the_timeout(
    pager_bot: discord.Client, fake_discord: FakeDiscord, defer: bool
) -> None:
    sent = await fake_discord.send_command("pages", {"count": 2, "timeout": 0.2, "defer": defer})
    message = await sent.wait_for_answer()
    assert not all(disabled(message).values())
    await fake_discord.wait_for(lambda: all(disabled(message).values()), timeout=3)
    with pytest.raises(ValueError, match="disabled"):
        await fake_discord.click(message, button(message, "next"))


async def test_one_page_comes_without_buttons(pager_bot: discord.Client, fake_discord: FakeDiscord) -> None:
    message = await (await fake_discord.send_command("pages", {"count": 1, "timeout": 30.0})).wait_for_answer()
    assert message.embeds[0]["title"] == "Page 1" and not message.components
