"""The message catalogue: every sentence the bot writes on Discord, in English and Spanish.

Keys name what a sentence is for; values are ``str.format`` templates whose fields are the same in both
languages (a test checks). A missing Spanish entry falls back to English rather than failing.
"""

from __future__ import annotations

import logging

from bot.i18n.admin import ADMIN_MESSAGES
from bot.i18n.answers import ANSWER_MESSAGES
from bot.i18n.moderation import MODERATION_MESSAGES
from bot.i18n.privacy import PRIVACY_MESSAGES
from bot.i18n.timeline import TIMELINE_MESSAGES

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "es")
DEFAULT = "en"

MESSAGES: dict[str, dict[str, str]] = {
    # answers
    "your_question": {"en": "Your question", "es": "Tu pregunta"},
    "not_in_corpus": {"en": "Not in the corpus: ", "es": "No está en el corpus: "},
    "corpus_lacks": {"en": "The corpus does not answer this question.", "es": "El corpus no responde a esta pregunta."},
    "closest": {"en": "Closest passages", "es": "Pasajes más cercanos"},
    "no_more_quotes": {"en": "No more quotes.", "es": "No hay más citas."},
    "nothing_close": {"en": "No passage came close.", "es": "Ningún pasaje se acercó."},
    "confidence": {"en": "Confidence {percent}%", "es": "Confianza {percent} %"},
    "corpus_version": {"en": "corpus {version}", "es": "corpus {version}"},
    "quotes_range": {"en": "quotes {first}–{last} of {total}", "es": "citas {first}–{last} de {total}"},
    "sources_differ": {"en": "Sources differ", "es": "Las fuentes difieren"},
    "sources_differ_on": {"en": "Sources differ on {subject}", "es": "Las fuentes difieren sobre {subject}"},
    "undated": {"en": "undated", "es": "sin fecha"},
    "context_title": {"en": "Context: ", "es": "Contexto: "},
    "untitled": {"en": "Untitled", "es": "Sin título"},
    "line": {"en": "line {line}", "es": "línea {line}"},
    "lines": {"en": "lines {first}–{last}", "es": "líneas {first}–{last}"},
    # buttons
    "more": {"en": "More", "es": "Más"},
    "context": {"en": "Context", "es": "Contexto"},
    "post_to_channel": {"en": "Post to channel", "es": "Publicar en el canal"},
    "delete": {"en": "Delete", "es": "Borrar"},
    # errors and gates
    "error_title": {"en": "Something went wrong", "es": "Algo salió mal"},
    "try_again": {"en": "Please try again in a moment.", "es": "Vuelve a intentarlo en un momento."},
    "failure": {
        "en": "Sorry — something went wrong while answering. It has been logged; please try again in a moment.",
        "es": "Lo siento, algo falló al responder. Quedó registrado; vuelve a intentarlo en un momento.",
    },
    "disabled": {
        "en": "The moderators have turned corpusbot off in this channel.",
        "es": "Los moderadores han desactivado corpusbot en este canal.",
    },
    "cooldown": {
        "en": "You're asking quickly — please wait {seconds} s before your next question.",
        "es": "Estás preguntando muy rápido: espera {seconds} s antes de tu próxima pregunta.",
    },
    "not_here": {"en": "You can't use this command here.", "es": "No puedes usar este comando aquí."},
    "expired": {
        "en": "That answer is no longer in my memory (I may have restarted). Please ask again.",
        "es": "Esa respuesta ya no está en mi memoria (puede que me haya reiniciado). Vuelve a preguntar.",
    },
    "passage_gone": {
        "en": "That passage is no longer in the corpus (it was reloaded). Please ask again.",
        "es": "Ese pasaje ya no está en el corpus (se recargó). Vuelve a preguntar.",
    },
    "unreadable_reply": {
        "en": "I can only read messages that mention me, so I can't see the message you replied to. "
        "Write your question after the mention, e.g. “@corpusbot what happened on January 3?”.",
        "es": "Solo puedo leer los mensajes que me mencionan, así que no veo el mensaje al que respondiste. "
        "Escribe tu pregunta después de la mención, p. ej. «@corpusbot ¿qué pasó el 3 de enero?».",
    },
    "no_text": {
        "en": "That message has no text I can ask the corpus about.",
        "es": "Ese mensaje no tiene texto sobre el que pueda preguntar al corpus.",
    },
    # feedback
    "thanks_up": {"en": "Thanks — marked as helpful.", "es": "Gracias: marcada como útil."},
    "thanks_down": {"en": "Thanks — marked as not helpful.", "es": "Gracias: marcada como poco útil."},
    "thanks_refusal_up": {
        "en": "Thanks — marked as rightly not answered.",
        "es": "Gracias: marcada como bien rechazada (el corpus no lo responde).",
    },
    "thanks_refusal_down": {
        "en": "Thanks — marked as “this should have been answered”; the moderators see it in /stats.",
        "es": "Gracias: marcada como «debería haberse respondido»; los moderadores lo ven en /stats.",
    },
    "vote_not_stored": {
        "en": " (Feedback could not be stored right now.)",
        "es": " (Ahora mismo no se pudo guardar la valoración.)",
    },
    # deleting and posting
    "deleted": {"en": "The answer was deleted.", "es": "La respuesta se borró."},
    "delete_refused": {
        "en": "Only the person who asked (or a moderator) can delete this answer.",
        "es": "Solo quien preguntó (o un moderador) puede borrar esta respuesta.",
    },
    "posted_by": {"en": "Shared by {user}", "es": "Compartida por {user}"},
    # help and sources
    "help_title": {"en": "How to use me", "es": "Cómo usarme"},
    "help_intro": {
        "en": "I answer questions with verbatim quotes from a fixed corpus of news articles, "
        "each linked to the exact lines it comes from.",
        "es": "Respondo preguntas con citas literales de un corpus fijo de artículos de prensa, "
        "cada una enlazada a las líneas exactas de las que procede.",
    },
    "help_ask": {
        "en": "answer with verbatim, cited quotes from the corpus — or say it doesn't know",
        "es": "responde con citas literales del corpus y sus fuentes, o dice que no lo sabe",
    },
    "help_mention": {
        "en": "the same, as a reply (reply to a message with just the mention to ask it); "
        "in a thread or forum post, answered there",
        "es": "lo mismo, como respuesta (responde a un mensaje solo con la mención para preguntarlo); "
        "en un hilo o publicación de foro, se responde allí",
    },
    "help_menu": {
        "en": "on any message: ask the corpus about it, privately, with a “Post to channel” button",
        "es": "en cualquier mensaje: pregunta al corpus sobre él, en privado, con un botón «Publicar en el canal»",
    },
    "help_timeline": {
        "en": "the corpus's dated events in order, each quoted and cited",
        "es": "los hechos fechados del corpus en orden, cada uno citado con su fuente",
    },
    "help_sources": {"en": "the documents the bot knows", "es": "los documentos que conoce el bot"},
    "help_privacy": {
        "en": "what is stored about your questions, and deleting it",
        "es": "qué se guarda de tus preguntas, y cómo borrarlo",
    },
    "help_moderators": {
        "en": "moderators: questions asked here, answer rate and gaps (with a chart), per-channel settings "
        "(threads, forums)",
        "es": "moderadores: preguntas hechas aquí, tasa de respuesta y lagunas (con gráfico), ajustes por canal "
        "(hilos, foros)",
    },
    "help_reload": {"en": "bot admins: reload the corpus folder", "es": "administradores del bot: recargar el corpus"},
    "help_help": {"en": "this help", "es": "esta ayuda"},
    "help_buttons": {
        "en": "under public answers: 👍/👎 (also on “not in the corpus”), 🗑 deletes it (the asker or a moderator)",
        "es": "bajo las respuestas públicas: 👍/👎 (también en «no está en el corpus»), 🗑 la borra "
        "(quien preguntó o un moderador)",
    },
    "and_more": {"en": "… and {count} more", "es": "… y {count} más"},
    "empty_corpus": {"en": "The corpus is empty.", "es": "El corpus está vacío."},
    "inferred": {"en": "(inferred)", "es": "(deducida)"},
    "passages_one": {"en": "{count} passage", "es": "{count} pasaje"},
    "passages_other": {"en": "{count} passages", "es": "{count} pasajes"},
    "sentences_one": {"en": "{count} sentence", "es": "{count} oración"},
    "sentences_other": {"en": "{count} sentences", "es": "{count} oraciones"},
    "documents_one": {"en": "{count} document", "es": "{count} documento"},
    "documents_other": {"en": "{count} documents", "es": "{count} documentos"},
    "questions_one": {"en": "{count} question", "es": "{count} pregunta"},
    "questions_other": {"en": "{count} questions", "es": "{count} preguntas"},
    "sources_heading": {"en": "Sources · {documents}", "es": "Fuentes · {documents}"},
    **PRIVACY_MESSAGES,
    **MODERATION_MESSAGES,
    **ANSWER_MESSAGES,
    **TIMELINE_MESSAGES,
    **ADMIN_MESSAGES,
}


def language(locale: object) -> str:
    """The catalogue language for a Discord locale ("es-ES", "es-419" → "es"); English otherwise."""
    code = str(getattr(locale, "value", locale) or "").lower()
    return "es" if code.startswith("es") else DEFAULT


def say_count(key: str, count: int, lang: str = DEFAULT) -> str:
    """``1 passage`` / ``2 pasajes``: the ``key_one`` or ``key_other`` sentence for ``count``."""
    return say(f"{key}_{'one' if count == 1 else 'other'}", lang, count=count)


def say(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The sentence ``key`` in ``lang`` (English when there is no translation), with ``values`` filled in."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry[DEFAULT]
    return template.format(**values) if values else template


def say_error(error: Exception, lang: str = DEFAULT) -> str:
    """A service's error for its user: the catalogue sentence its ``key`` names, else its own (English) message.

    Services raise `bot.errors.CorpusbotError` with a key and values for the errors users cause (bad filters),
    so the Discord layer can say them in the user's language while the terminal prints the message.
    """
    key = getattr(error, "key", None)
    if key in MESSAGES:
        return say(key, lang, **getattr(error, "values", {}))
    return str(error)
