"""End to end: commands offered where they make sense, and Spanish for Spanish clients (quotes verbatim)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.discord.app import CorpusBot
from tests.bot.conftest import bot_settings
from tests.fakediscord import FakeDiscord, StoredMessage, connected

SPANISH = ("es-ES", "es-419")


def localisable(command: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(English, localizations) for a command's name, description, options and choices, recursively."""
    yield command["name"], command.get("name_localizations") or {}
    if command.get("description"):
        yield command["description"], command.get("description_localizations") or {}
    for option in command.get("options") or []:
        yield from localisable(option)
    for choice in command.get("choices") or []:
        yield choice["name"], choice.get("name_localizations") or {}


async def ask(fake: FakeDiscord, question: str, locale: str = "en-US") -> StoredMessage:
    """/ask ``question`` from a client in ``locale``, and its answer."""
    return await (await fake.send_command("ask", {"question": question}, locale=locale)).wait_for_answer()


async def test_every_command_string_is_in_spanish(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    missing = [
        english
        for command in fake_discord.commands()
        for english, localized in localisable(command)
        if not all(localized.get(locale) for locale in SPANISH)
    ]
    assert missing == []
    names = {c["name"]: c["name_localizations"]["es-ES"] for c in fake_discord.commands()}
    assert names["ask"] == "preguntar" and names["timeline"] == "cronologia"


async def test_commands_are_offered_only_where_they_make_sense(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    dm = fake.dm_channel(fake.member_user)
    for name in ("ask", "timeline", "sources", "help", "privacy", "forget-me"):
        assert fake.offered(name, user=fake.member_user, channel=dm), name
    assert fake.offered("Ask corpusbot", user=fake.member_user, channel=dm, command_type=3)
    for name in ("reload", "logs", "stats", "config"):
        assert not fake.offered(name, user=fake.mod_user, channel=dm), name  # guild-only
        assert not fake.offered(name, user=fake.member_user, channel=fake.channel_a1), name
    assert fake.offered("stats", user=fake.mod_user, channel=fake.channel_a1)
    assert not fake.offered("reload", user=fake.mod_user, channel=fake.channel_a1)  # administrators only
    # Hidden is not enough (a server may override it): /reload still checks who runs it.
    refused = await fake.send_command("reload", user=fake.member_user)
    assert "Only the bot's owner" in (await refused.wait_for_answer()).text()


async def test_spanish_clients_get_spanish_words_and_verbatim_quotes(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    fake = fake_discord
    shown = await (await fake.send_command("help", locale="es-ES")).wait_for_answer()
    assert "Cómo usarme" in shown.text() and "/preguntar pregunta:<texto>" in shown.text()
    answer = await (
        await fake.send_command("ask", {"question": "What happened to Maduro?"}, locale="es-419")
    ).wait_for_answer()
    assert answer.embeds[0]["footer"]["text"].startswith("Confianza")
    quote = live_bot.services.corpus.engine.ask("What happened to Maduro?").quotes[0].text
    assert quote[:200] in answer.embeds[0]["description"].replace("**", "")  # quotes are never translated
    labels = [c.get("label") for row in answer.components for c in row["components"]]
    assert "Más" in labels and "Contexto" in labels
    more = next(i for i in answer.custom_ids() if i.startswith("more:"))
    page = await (await fake.click(answer, more, locale="en-US")).wait_for_answer()
    assert page.embeds[0]["footer"]["text"].startswith("Confidence")  # the clicker's language
    refusal = await (
        await fake.send_command("ask", {"question": "Who wrote Hamlet?"}, locale="es-ES")
    ).wait_for_answer()
    assert refusal.embeds[0]["title"].startswith("No está en el corpus: ") and "Pasajes más cercanos" in refusal.text()
    english = await (await fake.send_command("ask", {"question": "Who is Ricardo Vaz?"})).wait_for_answer()
    assert english.embeds[0]["footer"]["text"].startswith("Confidence")


async def test_mentions_use_the_servers_language(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    fake.guild_b.locale = "es-ES"
    async with connected(CorpusBot(bot_settings()), fake):
        await fake.send_message("Who is Ricardo Vaz?", mentions_bot=True, channel=fake.channel_b1)
        await fake.wait_for(
            lambda: any(m.author_id == fake.bot_user.id for m in fake.channel_messages(fake.channel_b1))
        )
    reply = next(m for m in fake.channel_messages(fake.channel_b1) if m.author_id == fake.bot_user.id)
    assert reply.embeds[0]["footer"]["text"].startswith("Confianza")
    fake.assert_clean()


async def test_sources_privacy_and_forget_me_in_spanish(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    sources = await (await fake.send_command("sources", locale="es-ES")).wait_for_answer()
    assert sources.embeds[0]["title"] == "Fuentes · 3 documentos" and "pasajes" in sources.text()
    privacy = await (await fake.send_command("privacy", locale="es-ES")).wait_for_answer()
    assert privacy.embeds[0]["title"] == "Qué guarda corpusbot" and "Apps → Preguntar a corpusbot" in privacy.text()
    english = await (await fake.send_command("privacy")).wait_for_answer()
    assert "the message you pick in the Apps menu" in english.text()  # the notice names every way in
    prompt = await (await fake.send_command("forget-me", locale="es-419")).wait_for_answer()
    labels = [c.get("label") for row in prompt.components for c in row["components"]]
    assert labels == ["Borrar mis datos", "Cancelar"] and "¿Borrar tus datos?" in prompt.text()


async def test_moderator_screens_in_spanish(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    config = await (
        await fake.send_command("config", {"threads": True}, user=fake.mod_user, locale="es-ES")
    ).wait_for_answer()
    assert config.embeds[0]["title"] == "Ajustes del canal actualizados" and "**Hilos:** activado" in config.text()
    stats = await (await fake.send_command("stats", user=fake.mod_user, locale="es-ES")).wait_for_answer()
    assert stats.embeds[0]["title"] == "Estadísticas de corpusbot" and "Lagunas" in stats.text()
    refused = await (await fake.send_command("stats", user=fake.member_user, locale="es-419")).wait_for_answer()
    assert "Solo los moderadores" in refused.text()
    empty = await (await fake.send_command("logs show", user=fake.mod_user, locale="es-ES")).wait_for_answer()
    assert "Ninguna pregunta coincide" in empty.text() and "este servidor" in empty.text()


async def test_refusals_are_explained_in_spanish_with_the_users_words(
    live_bot: CorpusBot, fake_discord: FakeDiscord
) -> None:
    fake = fake_discord
    spanish = await ask(fake, "Who wrote Hamlet?", "es-ES")
    text = spanish.text()
    assert "El corpus no parece tratar esto" in text and "«Hamlet»" in text  # the user's word, verbatim
    assert "does not seem to cover" not in text
    english = await ask(fake, "Who wrote Hamlet?")
    assert "The corpus does not seem to cover this" in english.text() and "“Hamlet”" in english.text()
    foreign = await ask(fake, "¿Qué pasó con la economía de Bolivia ayer?", "es-419")
    assert "El corpus está escrito en inglés" in foreign.text() and "prueba a preguntar en inglés" in foreign.text()
    empty = await ask(fake, "what is the of the?", "es-ES")
    assert "Prueba a nombrar una persona" in empty.text()
    long = "Who is Steve Ellner? " + "please " * 100
    cut = await ask(fake, long, "es-ES")
    assert "Tu pregunta tenía más de 500 caracteres; usé su comienzo." in cut.text()


async def test_timeline_pages_and_bound_errors_in_spanish(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    english = await (await fake.send_command("timeline")).wait_for_answer()
    page = await (await fake.send_command("timeline", locale="es-ES")).wait_for_answer()
    assert page.embeds[0]["title"] == "Cronología" and english.embeds[0]["title"] == "Timeline"
    footer = page.embeds[0]["footer"]["text"]
    assert footer.startswith("página 1/") and " hechos · corpus " in footer
    assert english.embeds[0]["footer"]["text"].startswith("page 1/")
    assert "**20 dic 1989**" in page.text() and "**20 Dec 1989**" in english.text()  # periods in the user's words
    # The same events and quotes, only the bot's words differ.
    quotes = [line for line in english.embeds[0]["description"].splitlines() if line.startswith(">")]
    assert quotes and quotes == [line for line in page.embeds[0]["description"].splitlines() if line.startswith(">")]
    assert "also in:" in english.text() and "también en:" in page.text() and "also in:" not in page.text()
    topic = await (await fake.send_command("timeline", {"topic": "zzqx"}, locale="es-419")).wait_for_answer()
    assert topic.embeds[0]["title"] == "Cronología · zzqx" and "Ningún hecho fechado coincide" in topic.text()
    bad = await (await fake.send_command("timeline", {"since": "last tuesday"}, locale="es-ES")).wait_for_answer()
    assert bad.ephemeral and "admiten un año, un mes o un día" in bad.text()
    swapped = await (
        await fake.send_command("timeline", {"since": "2026", "until": "2025-10"}, locale="es-ES")
    ).wait_for_answer()
    assert swapped.ephemeral and "es posterior a" in swapped.text()
    logs = await (
        await fake.send_command("logs show", {"since": "yesterday"}, user=fake.mod_user, locale="es-ES")
    ).wait_for_answer()
    assert logs.ephemeral and "«desde» debe ser una fecha" in logs.text() and "Revisa los filtros" in logs.text()


async def test_reload_replies_in_spanish(live_bot: CorpusBot, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    refused = await (await fake.send_command("reload", user=fake.member_user, locale="es-ES")).wait_for_answer()
    assert refused.ephemeral and refused.text().startswith("Solo el propietario del bot")
    version = live_bot.services.corpus.version
    done = await (await fake.send_command("reload", user=fake.owner_user, locale="es-419")).wait_for_answer()
    assert done.ephemeral and f"Corpus recargado: sin cambios (`{version[:8]}`, 3 documentos)." in done.text()
