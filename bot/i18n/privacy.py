"""The privacy notice and /forget-me in English and Spanish (part of the message catalogue).

It must say exactly what the bot reads and stores, so it names every way a question reaches the bot:
commands, mentions, the message menu and posts in forums the moderators opted in.
"""

from __future__ import annotations

PRIVACY_MESSAGES: dict[str, dict[str, str]] = {
    "privacy_title": {"en": "What corpusbot stores", "es": "Qué guarda corpusbot"},
    "privacy_stored": {
        "en": "When you ask me something (`/ask`, `/timeline`, Apps → Ask corpusbot on a message, a post in a forum "
        "the moderators set me to answer, or a message that mentions me), I store one row: the time, the server "
        "and channel ids, **your user id**, **your question text**, whether I answered (and why not), which corpus "
        "passages I quoted, a relevance score, how long it took and the corpus version. A 👍/👎 click stores your "
        "user id and your vote. Nothing else: not your name, not other messages (I only read messages that mention "
        "me, the message you pick in the Apps menu, and new posts in those forums).",
        "es": "Cuando me preguntas algo (`/preguntar`, `/cronologia`, Apps → Preguntar a corpusbot sobre un mensaje, "
        "una publicación en un foro donde los moderadores me pidieron responder, o un mensaje que me menciona), "
        "guardo una fila: la hora, los identificadores del servidor y del canal, **tu identificador de usuario**, "
        "**el texto de tu pregunta**, si respondí (y por qué no), qué pasajes del corpus cité, una puntuación, "
        "cuánto tardé y la versión del corpus. Un clic en 👍/👎 guarda tu identificador y tu voto. Nada más: ni tu "
        "nombre ni otros mensajes (solo leo los mensajes que me mencionan, el mensaje que eliges en el menú Apps "
        "y las publicaciones nuevas de esos foros).",
    },
    "privacy_opted_out": {
        "en": "In channels where the moderators turned question logging off, the row keeps only the counts "
        "(time, server, channel, answered or not, passages quoted) — never the question text or your user id.",
        "es": "En los canales donde los moderadores desactivaron el registro de preguntas, la fila guarda solo "
        "recuentos (hora, servidor, canal, si respondí, pasajes citados), nunca el texto ni tu identificador.",
    },
    "privacy_readers": {
        "en": "**Moderators of a server** (Manage Messages, or the moderator role) can read and export the rows "
        "of *that* server with `/logs` and `/stats` — never another server's, never your DMs with me. The "
        "people who run this bot can read the whole database.",
        "es": "**Los moderadores de un servidor** (Gestionar mensajes, o el rol de moderador) pueden leer y "
        "exportar las filas de *ese* servidor con `/registro` y `/estadisticas`, nunca las de otro servidor ni tus "
        "mensajes directos conmigo. Quienes ejecutan este bot pueden leer toda la base de datos.",
    },
    "privacy_retention": {
        "en": "Rows and votes are deleted automatically after **{days} days**.",
        "es": "Las filas y los votos se borran automáticamente a los **{days} días**.",
    },
    "privacy_deletion": {
        "en": "`/forget-me` deletes every question you asked me, in every server and in DMs, together with your "
        "votes and the votes on your answers, right away. Questions you ask afterwards are stored again.",
        "es": "`/olvidame` borra al momento todas las preguntas que me hiciste, en todos los servidores y en "
        "mensajes directos, junto con tus votos y los votos a tus respuestas. Lo que preguntes después se vuelve "
        "a guardar.",
    },
    "privacy_unavailable": {
        "en": "⚠️ The question log is unavailable right now, so nothing is being stored.",
        "es": "⚠️ El registro de preguntas no está disponible ahora mismo, así que no se guarda nada.",
    },
    "forget_no_log": {
        "en": "The question log is unavailable right now, so I can't delete anything. Please try again later.",
        "es": "El registro de preguntas no está disponible ahora mismo, así que no puedo borrar nada. "
        "Vuelve a intentarlo más tarde.",
    },
    "forget_prompt_title": {"en": "Delete your data?", "es": "¿Borrar tus datos?"},
    "forget_prompt": {
        "en": "This deletes the {questions} stored with your user id — in every server and in DMs — and your "
        "feedback votes. It cannot be undone.",
        "es": "Esto borra {questions} guardadas con tu identificador, en todos los servidores y en mensajes "
        "directos, y tus votos. No se puede deshacer.",
    },
    "forget_confirm": {"en": "Delete my data", "es": "Borrar mis datos"},
    "forget_cancel": {"en": "Cancel", "es": "Cancelar"},
    "forget_done_title": {"en": "Your data was deleted", "es": "Tus datos se borraron"},
    "forget_done": {
        "en": "Deleted {questions} and your feedback votes, in every server and in DMs.",
        "es": "Borradas {questions} y tus votos, en todos los servidores y en mensajes directos.",
    },
    "forget_cancelled_title": {"en": "Cancelled", "es": "Cancelado"},
    "forget_kept": {"en": "Nothing was deleted.", "es": "No se borró nada."},
    "forget_timeout_title": {"en": "Timed out", "es": "Tiempo agotado"},
    "forget_timeout": {
        "en": "Nothing was deleted. Run /forget-me again if you want to.",
        "es": "No se borró nada. Vuelve a usar /olvidame si quieres.",
    },
}
