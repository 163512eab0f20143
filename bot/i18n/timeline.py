"""/timeline's pages and bounds, and the filter errors of /logs, in English and Spanish (part of the catalogue)."""

from __future__ import annotations

TIMELINE_MESSAGES: dict[str, dict[str, str]] = {
    "timeline_title": {"en": "Timeline", "es": "Cronología"},
    "timeline_title_topic": {"en": "Timeline · {topic}", "es": "Cronología · {topic}"},
    "timeline_page": {"en": "page {page}/{pages}", "es": "página {page}/{pages}"},
    "events_one": {"en": "{count} event", "es": "{count} hecho"},
    "events_other": {"en": "{count} events", "es": "{count} hechos"},
    "also_in": {"en": "also in:", "es": "también en:"},
    "planned": {"en": "planned", "es": "previsto"},
    "no_events": {
        "en": "No dated events match. Try a broader topic, fewer words or a wider period; "
        "/timeline with no topic lists every dated event of the corpus.",
        "es": "Ningún hecho fechado coincide. Prueba un tema más amplio, menos palabras o un periodo más largo; "
        "/cronologia sin tema lista todos los hechos fechados del corpus.",
    },
    # an event's period, from its date and granularity (the English reads like the timeline's own labels)
    "period_day": {"en": "{day} {month} {year}", "es": "{day} {month} {year}"},
    "period_week": {"en": "week of {day} {month} {year}", "es": "semana del {day} {month} {year}"},
    "period_month": {"en": "{month} {year}", "es": "{month} {year}"},
    "period_year": {"en": "{year}", "es": "{year}"},
    "period_decade": {"en": "{year}s", "es": "los años {year}"},
    "period_early": {"en": "early {period}", "es": "principios de {period}"},
    "period_mid": {"en": "mid {period}", "es": "mediados de {period}"},
    "period_late": {"en": "late {period}", "es": "finales de {period}"},
    "months": {
        "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "es": "ene feb mar abr may jun jul ago sep oct nov dic",
    },
    # filters (services raise BadFilter with one of these keys and its values)
    "bad_bound": {
        "en": "`since` and `until` take a year, a month or a day: 2025, 2025-10 or 2025-10-31.",
        "es": "`desde` y `hasta` admiten un año, un mes o un día: 2025, 2025-10 o 2025-10-31.",
    },
    "bounds_reversed": {
        "en": "`since` ({since}) is after `until` ({until}): swap them or widen the period.",
        "es": "`desde` ({since}) es posterior a `hasta` ({until}): inviértelos o amplía el periodo.",
    },
    "bad_since": {
        "en": "“since” must be a date like 2025-01-31 (or 2025-01-31T18:00), not “{value}”.",
        "es": "«desde» debe ser una fecha como 2025-01-31 (o 2025-01-31T18:00), no «{value}».",
    },
}
