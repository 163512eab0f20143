"""The /stats chart is drawn from the stats' own numbers, in the asker's language."""

from __future__ import annotations

from bot.records import GuildStats
from bot.services.charts import stats_figure, stats_png

STATS = GuildStats(
    guild_id=1,
    channel_id=None,
    since=None,
    total=12,
    answered=8,
    per_channel=[],
    per_day=[("2026-11-01", 5), ("2026-11-02", 7)],
    top_questions=[],
    top_sources=[],
    gaps=[],
    votes_up=4,
    votes_down=3,
    answered_per_day=[("2026-11-01", 3), ("2026-11-02", 5)],
    refusal_votes_up=1,
    refusal_votes_down=2,
)


def heights(axes: object) -> list[float]:
    return [bar.get_height() for bar in axes.patches]  # type: ignore[attr-defined]


def widths(axes: object) -> list[float]:
    return [bar.get_width() for bar in axes.patches]  # type: ignore[attr-defined]


def test_bars_are_the_stats_numbers() -> None:
    daily, feedback, share = stats_figure(STATS).axes
    assert heights(daily) == [3, 5, 2, 2]  # answered per day, then not answered per day
    assert [tick.get_text() for tick in daily.get_xticklabels()] == ["11-01", "11-02"]
    assert list(share.lines[0].get_ydata()) == [0.6, 5 / 7]
    # 👍 on answers and on refusals, then 👎 on answers and on refusals
    assert widths(feedback) == [3, 1, 1, 2]
    assert daily.get_title() == "corpusbot statistics · 12 questions · 67% answered"


def test_labels_follow_the_language_and_the_png_is_a_png() -> None:
    daily = stats_figure(STATS, lang="es").axes[0]
    assert daily.get_title().startswith("Estadísticas de corpusbot") and daily.get_ylabel() == "preguntas por día"
    png = stats_png(STATS)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_an_empty_server_still_gets_a_chart() -> None:
    empty = GuildStats(1, None, None, 0, 0, [], [], [], [], [], 0, 0)
    daily = stats_figure(empty).axes[0]
    assert heights(daily) == [] and daily.texts[0].get_text() == "no questions yet"
