"""The community forecast of a binary or multiple-choice question over time."""

from datetime import tzinfo

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from forecasts.charts import style

MAX_FINALS = 1000


def community_chart(data, *, fmt: str = "svg", zone: tzinfo) -> bytes:
    """Return the community step line from its first point to `data.until`.

    The viewer's entries are diamonds in their option's colour; after
    resolution every scored forecaster's final forecast is a faint dot and the
    resolution is marked with its outcome. Times are shown in `zone`.
    """
    payload = {
        "zone": style.zone_name(zone),
        "options": data.options,
        "binary": data.binary,
        "points": _series(data.points),
        "own": _series(data.own),
        "finals": _series(data.finals),
        "until": data.until.timestamp() if data.until else None,
        "resolved": _resolved(data.resolved),
    }
    return style.cached("community", fmt, payload, lambda: _draw(payload, zone))


def _series(pairs) -> list:
    return [(time.timestamp(), list(vector)) for time, vector in pairs]


def _resolved(resolved) -> dict | None:
    if resolved is None:
        return None
    return {
        "at": resolved.at.timestamp(),
        "annulled": resolved.annulled,
        "outcome": resolved.outcome,
        "label": resolved.label,
    }


def shown_options(data: dict) -> list[int]:
    """Return the indexes drawn: P(yes) alone for binary, every option otherwise."""
    return [1] if data["binary"] else list(range(len(data["options"])))


def _draw(data: dict, zone: tzinfo):
    fig, axes = style.figure(7.0, 3.8)
    points = data["points"]
    if not points:
        style.empty(axes, "No community history yet")
        return fig
    end = max(data["until"] or points[-1][0], points[-1][0])
    held = [*points, (end, points[-1][1])]
    times = [style.as_date(t, zone) for t, _ in held]
    for k in shown_options(data):
        colour = style.colour(k)
        label = "community P(yes)" if data["binary"] else data["options"][k]
        values = [vector[k] for _, vector in held]
        axes.step(times, values, where="post", color=colour, linewidth=1.8, label=label)
        axes.lines[-1].set_gid(f"line-{k}")
    _draw_finals(axes, data, zone)
    _draw_own(axes, data, zone)
    marked = _draw_resolution(axes, data, zone)
    axes.set_ylim(0, 1)
    axes.set_ylabel("Community forecast")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    moments = [times[0], times[-1], *marked]
    moments += [style.as_date(t, zone) for t, _ in data["own"]]
    style.time_axis(axes, min(moments), max(moments), zone)
    style.legend_below(fig, axes, len(shown_options(data)) + 2)
    return fig


def _draw_own(axes, data: dict, zone: tzinfo) -> None:
    if not data["own"]:
        return
    times = [style.as_date(t, zone) for t, _ in data["own"]]
    for k in shown_options(data):
        values = [vector[k] for _, vector in data["own"]]
        axes.scatter(
            times,
            values,
            marker="D",
            s=34,
            color=style.colour(k),
            edgecolors=style.INK,
            linewidths=0.8,
            zorder=4,
            clip_on=False,
            gid=f"own-{k}",
        )
    axes.add_line(_legend_only("D", "white", "your forecasts"))


def _draw_finals(axes, data: dict, zone: tzinfo) -> None:
    finals = data["finals"]
    if not finals:
        return
    label = "final forecasts"
    if len(finals) > MAX_FINALS:
        # Evenly through the list: a cloud of 1,000 reads as one of 10,000, and
        # the image stays small and quick to draw.
        label = f"final forecasts ({MAX_FINALS:,} of {len(finals):,})"
        picked = np.linspace(0, len(finals) - 1, MAX_FINALS).round().astype(int)
        finals = [finals[i] for i in picked]
    times = [style.as_date(t, zone) for t, _ in finals]
    # Fainter as there are more, so many dots read as a cloud, not a blot.
    alpha = max(0.08, min(0.5, 6 / len(times)))
    for k in shown_options(data):
        values = [vector[k] for _, vector in finals]
        axes.scatter(
            times,
            values,
            s=12,
            color=style.colour(k),
            alpha=alpha,
            linewidths=0,
            zorder=2,
            gid=f"finals-{k}",
        )
    axes.add_line(_legend_only("o", style.MUTED, label))


def _draw_resolution(axes, data: dict, zone: tzinfo) -> list:
    resolved = data["resolved"]
    if resolved is None:
        return []
    at = style.as_date(resolved["at"], zone)
    axes.axvline(
        at, color=style.RESOLVED, linewidth=1.2, linestyle="--", gid="resolved"
    )
    outcome = resolved["outcome"]
    if not resolved["annulled"]:
        # Where the outcome's own probability ends: 100% for what happened.
        y = 0.0 if data["binary"] and outcome == 0 else 1.0
        k = 1 if data["binary"] else outcome
        axes.scatter(
            [at],
            [y],
            marker="*",
            s=150,
            color=style.colour(k),
            zorder=5,
            edgecolors=style.RESOLVED,
            clip_on=False,
            gid="outcome",
        )
    axes.annotate(
        resolved["label"],
        xy=(at, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-4, -4),
        textcoords="offset points",
        ha="right",
        va="top",
        color=style.RESOLVED,
        fontsize="small",
        gid="resolved-label",
    )
    return [at]


def _legend_only(marker: str, face: str, label: str) -> Line2D:
    """Return an invisible line that gives the legend an entry for a marker kind."""
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markerfacecolor=face,
        markeredgecolor=style.INK,
        label=label,
    )
