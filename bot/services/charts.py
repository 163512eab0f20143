"""The /stats picture: questions per day (answered and not), the share answered, and feedback, as a PNG.

Drawn from the same `GuildStats` numbers the text shows, with matplotlib's Agg canvas directly (no
pyplot, so no global figure state and no display needed); callers run it in a worker thread.
"""

from __future__ import annotations

import io
import logging

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from bot.i18n import say
from bot.records import GuildStats

logger = logging.getLogger(__name__)

DAYS_DRAWN = 30
ANSWERED, ABSTAINED, HELPFUL, UNHELPFUL = "#2ecc71", "#f1c40f", "#5865f2", "#e74c3c"


def _days(stats: GuildStats) -> tuple[list[str], list[int], list[int]]:
    """The last days with questions: labels (MM-DD), answered and not answered counts."""
    answered = dict(stats.answered_per_day)
    recent = stats.per_day[-DAYS_DRAWN:]
    labels = [day[5:] for day, _ in recent]
    yes = [answered.get(day, 0) for day, _ in recent]
    no = [total - got for (_, total), got in zip(recent, yes, strict=True)]
    return labels, yes, no


def stats_png(stats: GuildStats, *, lang: str = "en") -> bytes:
    """The chart of `stats_figure` as PNG bytes."""
    buffer = io.BytesIO()
    stats_figure(stats, lang=lang).savefig(buffer, format="png")
    return buffer.getvalue()


def stats_figure(stats: GuildStats, *, lang: str = "en") -> Figure:
    """A two-panel chart: daily questions (stacked answered / not) with the answered share, and feedback.

    Its labels are in ``lang`` (the catalogue's chart entries).
    """
    figure = Figure(figsize=(8, 5.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    daily, feedback = figure.subplots(2, 1, height_ratios=(3, 1.3))
    labels, yes, no = _days(stats)
    positions = list(range(len(labels)))
    daily.bar(positions, yes, color=ANSWERED, label=say("chart_answered", lang))
    daily.bar(positions, no, bottom=yes, color=ABSTAINED, label=say("chart_abstained", lang))
    daily.set_xticks(positions, labels, rotation=45 if len(labels) > 10 else 0, fontsize=8)
    daily.yaxis.set_major_locator(MaxNLocator(integer=True))
    daily.set_ylabel(say("chart_per_day", lang))
    daily.set_title(say("chart_title", lang, total=stats.total, rate=f"{stats.answer_rate:.0%}"))
    if not labels:
        daily.text(0.5, 0.5, say("chart_empty", lang), ha="center", va="center", transform=daily.transAxes)
    share = daily.twinx()
    rate = [y / (y + n) if y + n else 0 for y, n in zip(yes, no, strict=True)]
    share.plot(positions, rate, color="#34495e", marker="o", markersize=3)
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_formatter(PercentFormatter(1.0))
    share.set_ylabel(say("chart_share", lang))
    daily.legend(loc="upper left", fontsize=8)
    rows = [
        (
            say("chart_answers", lang),
            stats.votes_up - stats.refusal_votes_up,
            stats.votes_down - stats.refusal_votes_down,
        ),
        (say("chart_refusals", lang), stats.refusal_votes_up, stats.refusal_votes_down),
    ]
    names = [name for name, _, _ in rows]
    feedback.barh(names, [up for _, up, _ in rows], color=HELPFUL, label=say("chart_helpful", lang))
    feedback.barh(
        names,
        [down for _, _, down in rows],
        left=[up for _, up, _ in rows],
        color=UNHELPFUL,
        label=say("chart_unhelpful", lang),
    )
    feedback.xaxis.set_major_locator(MaxNLocator(integer=True))
    feedback.set_xlabel(say("chart_votes", lang))
    feedback.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=2, fontsize=7, frameon=False)
    logger.debug("drew a stats chart of %d days", len(labels))
    return figure
