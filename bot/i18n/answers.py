"""The retrieval's own words on an answer (why it refused, what it changed) in English and Spanish.

The composer gives each refusal and notice a code (`Answer.reason_code`, `Answer.notice_code`) beside its
English text; these entries say the same in the user's language. The English entries read like the
composer's ``reason`` (a test checks), so English users see the same sentence in Discord and in the terminal.
"""

from __future__ import annotations

ANSWER_MESSAGES: dict[str, dict[str, str]] = {
    "reason_usage": {
        "en": "Please ask a question about the corpus, for example: What happened on January 3?",
        "es": "Haz una pregunta sobre el corpus (que está en inglés), por ejemplo: What happened on January 3?",
    },
    "reason_no_terms": {
        "en": "Your question has no words the corpus could match (only very common words, punctuation or "
        "symbols). Try naming a person, place, organisation or event.",
        "es": "Tu pregunta no tiene palabras que el corpus pueda buscar (solo palabras muy comunes, signos de "
        "puntuación o símbolos). Prueba a nombrar una persona, un lugar, una organización o un hecho.",
    },
    "reason_foreign": {
        "en": "Your question seems to be in another language. The corpus is written in English and "
        "does not match it; the closest passages are below.",
        "es": "Tu pregunta parece estar en otro idioma. El corpus está escrito en inglés y no coincide con ella "
        "(prueba a preguntar en inglés); abajo están los pasajes más cercanos.",
    },
    "reason_not_mentioned": {
        "en": "The corpus does not seem to cover this: no passage that matches your question also mentions "
        "{words}, and none is close to it in meaning.",
        "es": "El corpus no parece tratar esto: ningún pasaje que coincida con tu pregunta menciona también "
        "{words}, y ninguno se le acerca en significado.",
    },
    "reason_weak_match": {
        "en": "The corpus does not seem to cover this: the closest passages match your question only weakly.",
        "es": "El corpus no parece tratar esto: los pasajes más cercanos coinciden solo débilmente con tu pregunta.",
    },
    "quoted_word": {"en": "“{word}”", "es": "«{word}»"},
    "notice_question_cut": {
        "en": "Your question was longer than {limit} characters; I used its beginning.",
        "es": "Tu pregunta tenía más de {limit} caracteres; usé su comienzo.",
    },
    "showing_results_for": {"en": "Showing results for “{question}”", "es": "Resultados para «{question}»"},
}
