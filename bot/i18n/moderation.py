"""The moderators' screens (/logs, /stats, /config) in English and Spanish (part of the message catalogue)."""

from __future__ import annotations

MODERATION_MESSAGES: dict[str, dict[str, str]] = {
    "mod_guild_only": {
        "en": "This command works in a server, not in DMs.",
        "es": "Este comando funciona en un servidor, no en mensajes directos.",
    },
    "mod_only": {
        "en": "Only moderators of this server (Manage Messages, or the moderator role) can use this command.",
        "es": "Solo los moderadores de este servidor (Gestionar mensajes, o el rol de moderador) pueden usar "
        "este comando.",
    },
    "mod_only_title": {"en": "Moderators only", "es": "Solo moderadores"},
    "mod_no_log": {
        "en": "The query log is unavailable right now (the bot's process log says why), so there is nothing to show.",
        "es": "El registro de preguntas no está disponible ahora mismo (el registro del proceso dice por qué), "
        "así que no hay nada que mostrar.",
    },
    "not_available": {"en": "Not available", "es": "No disponible"},
    "check_filters": {"en": "Check the filters", "es": "Revisa los filtros"},
    "nothing_to_export_title": {"en": "Nothing to export", "es": "Nada que exportar"},
    "nothing_to_export": {
        "en": "No questions match these filters.",
        "es": "Ninguna pregunta coincide con los filtros.",
    },
    "export_done": {
        "en": "{included} of {total} questions, newest first — {scope}.",
        "es": "{included} de {total} preguntas, las más recientes primero — {scope}.",
    },
    "export_cut": {
        "en": "⚠️ The file was cut after {included} rows to stay within Discord's upload limit; narrow the filters "
        "(e.g. `since`) to export the rest.",
        "es": "⚠️ El archivo se cortó tras {included} filas para no pasar el límite de subida de Discord; acota "
        "los filtros (p. ej. `desde`) para exportar el resto.",
    },
    # scope line
    "scope_server": {"en": "this server", "es": "este servidor"},
    "scope_in": {"en": "in {channel}", "es": "en {channel}"},
    "scope_from": {"en": "from {user}", "es": "de {user}"},
    "scope_since": {"en": "since {since}", "es": "desde {since}"},
    "scope_unanswered": {"en": "unanswered only", "es": "solo sin respuesta"},
    "scope_text": {"en": "containing “{text}”", "es": "que contienen «{text}»"},
    "no_channel": {"en": "no channel", "es": "sin canal"},
    # log pages
    "log_title": {"en": "Query log · {questions}", "es": "Registro de preguntas · {questions}"},
    "log_none": {"en": "No questions match: {scope}.", "es": "Ninguna pregunta coincide: {scope}."},
    "log_capped": {
        "en": "newest {shown} of {total} shown — /logs export for all · ",
        "es": "se muestran las {shown} más recientes de {total}; /registro exportar para todas · ",
    },
    "page_of": {"en": "page {page} of {pages}", "es": "página {page} de {pages}"},
    "user_not_logged": {"en": "user not logged", "es": "usuario no registrado"},
    "via": {"en": "via {interface}", "es": "vía {interface}"},
    "question_not_logged": {
        "en": "*question not logged in this channel*",
        "es": "*pregunta no registrada en este canal*",
    },
    "empty_question": {"en": "*(empty)*", "es": "*(vacía)*"},
    "row_answered": {"en": "✅ answered", "es": "✅ respondida"},
    "row_abstained": {"en": "⚠️ abstained", "es": "⚠️ sin respuesta"},
    "top_source": {"en": "top source {source}", "es": "fuente principal {source}"},
    "no_source": {"en": "no source quoted", "es": "ninguna fuente citada"},
    # stats
    "stats_title": {"en": "corpusbot statistics", "es": "Estadísticas de corpusbot"},
    "stats_overview": {
        "en": "**{total}** questions · **{answered}** answered ({rate}) · feedback {votes}",
        "es": "**{total}** preguntas · **{answered}** respondidas ({rate}) · valoraciones {votes}",
    },
    "stats_refusals": {
        "en": "On refusals: 👍 {up} rightly not answered · 👎 {down} should have been answered",
        "es": "En los rechazos: 👍 {up} bien rechazadas · 👎 {down} deberían haberse respondido",
    },
    "per_channel": {"en": "Per channel", "es": "Por canal"},
    "per_day": {"en": "Per day (last {days} with questions)", "es": "Por día (últimos {days} con preguntas)"},
    "most_asked": {"en": "Most asked", "es": "Más preguntadas"},
    "most_quoted": {"en": "Most quoted sources", "es": "Fuentes más citadas"},
    "gaps": {"en": "Coverage gaps (most asked, not answered)", "es": "Lagunas (más preguntadas, sin respuesta)"},
    "disputed_gaps": {
        "en": "Coverage gaps marked 👎 (should have been answered)",
        "es": "Lagunas marcadas 👎 (deberían haberse respondido)",
    },
    "stats_footer": {
        "en": "Questions from channels with logging off are counted but not listed.",
        "es": "Las preguntas de canales sin registro se cuentan pero no se listan.",
    },
    "chart_description": {"en": "corpusbot statistics chart", "es": "gráfico de estadísticas de corpusbot"},
    # config
    "on": {"en": "on", "es": "activado"},
    "off": {"en": "off", "es": "desactivado"},
    "private_word": {"en": "private", "es": "privadas"},
    "public_word": {"en": "public", "es": "públicas"},
    "server_default": {"en": "server default ({default})", "es": "lo que diga el servidor ({default})"},
    "config_bot": {"en": "**Bot:** {state}", "es": "**Bot:** {state}"},
    "config_logging": {"en": "**Question logging:** {state}", "es": "**Registro de preguntas:** {state}"},
    "config_counts_only": {
        "en": " (only counts are kept: no question text, no user ids)",
        "es": " (solo se guardan recuentos: ni texto ni identificadores)",
    },
    "config_answers": {"en": "**Answers by default:** {answers}", "es": "**Respuestas por defecto:** {answers}"},
    "config_threads": {"en": "**Threads:** {state}", "es": "**Hilos:** {state}"},
    "config_threads_note": {
        "en": " (public answers open a thread; mentions in threads are answered there)",
        "es": " (las respuestas públicas abren un hilo; las menciones en hilos se responden allí)",
    },
    "config_forum": {"en": "**Forum posts answered:** {state}", "es": "**Publicaciones de foro respondidas:** {state}"},
    "config_title": {"en": "Channel settings", "es": "Ajustes del canal"},
    "config_updated": {"en": "Channel settings updated", "es": "Ajustes del canal actualizados"},
    "config_other": {"en": "Other configured channels", "es": "Otros canales configurados"},
    "config_other_line": {
        "en": "{channel}: bot {enabled}, logging {logging}",
        "es": "{channel}: bot {enabled}, registro {logging}",
    },
    "config_footer": {
        "en": "Change with /config enabled:… logging:… answers:… threads:… forum:… [channel:…]",
        "es": "Cámbialo con /configurar activo:… registro:… respuestas:… hilos:… foro:… [canal:…]",
    },
    # the /stats chart
    "chart_title": {
        "en": "corpusbot statistics · {total} questions · {rate} answered",
        "es": "Estadísticas de corpusbot · {total} preguntas · {rate} respondidas",
    },
    "chart_answered": {"en": "answered", "es": "respondidas"},
    "chart_abstained": {"en": "not in the corpus", "es": "no están en el corpus"},
    "chart_per_day": {"en": "questions per day", "es": "preguntas por día"},
    "chart_share": {"en": "share answered", "es": "proporción respondida"},
    "chart_empty": {"en": "no questions yet", "es": "aún no hay preguntas"},
    "chart_answers": {"en": "answers", "es": "respuestas"},
    "chart_refusals": {"en": "refusals", "es": "rechazos"},
    "chart_helpful": {"en": "helpful / rightly refused", "es": "útil / bien rechazada"},
    "chart_unhelpful": {
        "en": "not helpful / should have been answered",
        "es": "poco útil / debería haberse respondido",
    },
    "chart_votes": {"en": "feedback votes", "es": "votos"},
}
