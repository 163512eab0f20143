"""Spanish for every command name, description, option and choice the bot registers, keyed by the English.

Discord shows these to users whose client is in Spanish (locales es-ES and es-419). Names follow
Discord's rules (lower case, no spaces, at most 32 characters); a test checks every registered string
has its translation here, so a new command cannot ship half-translated.
"""

from __future__ import annotations

COMMAND_TEXT: dict[str, str] = {
    # /ask, /sources, /help and the message menu
    "ask": "preguntar",
    "Ask the corpus; the answer is verbatim quotes with their sources": (
        "Pregunta al corpus; la respuesta son citas literales con sus fuentes"
    ),
    "question": "pregunta",
    "Your question (the first 500 characters are used)": "Tu pregunta (se usan los primeros 500 caracteres)",
    "private": "privada",
    "Show the answer only to you": "Mostrar la respuesta solo a ti",
    "sources": "fuentes",
    "List the documents the bot answers from": "Lista los documentos con los que responde el bot",
    "help": "ayuda",
    "How to use corpusbot": "Cómo usar corpusbot",
    "Ask corpusbot": "Preguntar a corpusbot",
    # /timeline
    "timeline": "cronologia",
    "The corpus's dated events in order, each quoted and cited": (
        "Los hechos fechados del corpus en orden, cada uno citado con su fuente"
    ),
    "topic": "tema",
    "Only events about this (a name, a place, a word); empty for everything": (
        "Solo hechos sobre esto (un nombre, un lugar, una palabra); vacío para todo"
    ),
    "since": "desde",
    "From this date on: 2025, 2025-10 or 2025-10-31": "Desde esta fecha: 2025, 2025-10 o 2025-10-31",
    "until": "hasta",
    "Up to this date: 2026, 2026-01 or 2026-01-06": "Hasta esta fecha: 2026, 2026-01 o 2026-01-06",
    "Show the timeline only to you": "Mostrar la cronología solo a ti",
    # /privacy, /forget-me
    "privacy": "privacidad",
    "What corpusbot stores about you, who can read it, how to delete it": (
        "Qué guarda corpusbot sobre ti, quién puede leerlo y cómo borrarlo"
    ),
    "forget-me": "olvidame",
    "Delete every question you asked corpusbot, everywhere": "Borra todas las preguntas que hiciste a corpusbot",
    # /reload
    "reload": "recargar",
    "Reload the corpus folder (bot owner and admins only)": (
        "Recarga la carpeta del corpus (solo dueño y administradores del bot)"
    ),
    # moderators: /logs, /stats, /config
    "logs": "registro",
    "Questions asked in this server (moderators)": "Preguntas hechas en este servidor (moderadores)",
    "show": "ver",
    "Browse the questions asked in this server (moderators)": (
        "Recorre las preguntas hechas en este servidor (moderadores)"
    ),
    "export": "exportar",
    "Download the questions asked in this server as a file (moderators)": (
        "Descarga en un archivo las preguntas hechas en este servidor (moderadores)"
    ),
    "format": "formato",
    "csv": "csv",  # file formats keep their names
    "jsonl": "jsonl",
    "File format: csv (spreadsheets) or jsonl (one JSON object per line)": (
        "Formato: csv (hojas de cálculo) o jsonl (un objeto JSON por línea)"
    ),
    "channel": "canal",
    "Only questions asked in this channel": "Solo preguntas hechas en este canal",
    "user": "usuario",
    "Only questions from this person": "Solo preguntas de esta persona",
    "Only questions from this date on (YYYY-MM-DD, UTC)": "Solo preguntas desde esta fecha (AAAA-MM-DD, UTC)",
    "unanswered": "sin-respuesta",
    "Only questions the bot could not answer": "Solo preguntas que el bot no pudo responder",
    "text": "texto",
    "Only questions containing this text": "Solo preguntas que contienen este texto",
    "stats": "estadisticas",
    "Usage, answer rate, feedback and coverage gaps (moderators)": (
        "Uso, tasa de respuesta, valoraciones y lagunas del corpus (moderadores)"
    ),
    "Only this channel": "Solo este canal",
    "config": "configurar",
    "Turn the bot, question logging, private answers, threads or forum answers on/off here": (
        "Activa o desactiva aquí el bot, el registro, las respuestas privadas, los hilos o los foros"
    ),
    "The channel or forum to configure (default: this one)": "El canal o foro a configurar (por defecto, este)",
    "enabled": "activo",
    "Answer questions in the channel": "Responder preguntas en el canal",
    "logging": "registro",
    "Store question text and who asked (off: only counts are kept)": (
        "Guardar el texto de la pregunta y quién la hizo (desactivado: solo recuentos)"
    ),
    "answers": "respuestas",
    "Answers public or private by default": "Respuestas públicas o privadas por defecto",
    "public": "públicas",
    "server default": "lo que diga el servidor",
    "threads": "hilos",
    "Answer in a public thread: on the question (mentions) or on the answer (/ask)": (
        "Responder en un hilo público: sobre la pregunta (menciones) o sobre la respuesta (/ask)"
    ),
    "forum": "foro",
    "Forum channels: answer each new post inside it, once": (
        "Canales de foro: responder cada nueva publicación dentro de ella, una vez"
    ),
}


def command_text(english: str) -> str | None:
    """The Spanish for a registered command string, or None when there is none (Discord shows the English)."""
    return COMMAND_TEXT.get(english)
