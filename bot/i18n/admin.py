"""/reload, the corpus's skipped files and buttons that belong to someone else, in English and Spanish."""

from __future__ import annotations

ADMIN_MESSAGES: dict[str, dict[str, str]] = {
    "not_admin": {
        "en": "Only the bot's owner and its admins (CORPUSBOT_ADMIN_IDS) can reload the corpus.",
        "es": "Solo el propietario del bot y sus administradores (CORPUSBOT_ADMIN_IDS) pueden recargar el corpus.",
    },
    "reload_unchanged": {
        "en": "Corpus reloaded: unchanged (`{version}`, {documents}).",
        "es": "Corpus recargado: sin cambios (`{version}`, {documents}).",
    },
    "reload_changed": {
        "en": "Corpus reloaded: `{old}` → `{new}` · {old_documents} → {new_documents}.",
        "es": "Corpus recargado: `{old}` → `{new}` · {old_documents} → {new_documents}.",
    },
    "reload_failed": {
        "en": "The corpus could not be reloaded: {error}\n"
        "Nothing changed — still answering from corpus `{version}` ({documents}).",
        "es": "No se pudo recargar el corpus: {error}\n"
        "No cambió nada: sigo respondiendo con el corpus `{version}` ({documents}).",
    },
    "skipped_files_one": {"en": "{count} file skipped: ", "es": "{count} archivo omitido: "},
    "skipped_files_other": {"en": "{count} files skipped: ", "es": "{count} archivos omitidos: "},
    "skipped_more": {"en": "; … and {count} more", "es": "; … y {count} más"},
    "not_yours": {
        "en": "These buttons belong to the person who ran the command — run it yourself to get your own.",
        "es": "Estos botones son de quien ejecutó el comando: ejecútalo tú para tener los tuyos.",
    },
}
