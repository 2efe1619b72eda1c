"""Numeric and date questions: the density, the community history and the PIT.

Pure functions of arrays: a CDF is 201 values F_i = P(X ≤ x_i) on the grid
u_i = i/200 of the question's axis; axes are in the question's unit, dates as
dates in the visitor's zone and log scales with log ticks.
"""

import math
from datetime import UTC, datetime, tzinfo

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator

from forecasts.charts import style
from forecasts.scoring.continuous import (
    GRID_CELLS,
    ContinuousAxis,
    cdf_quantiles,
    pmf,
)

BANDS = (0.05, 0.25, 0.5, 0.75, 0.95)
SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def human_number(x: float) -> str:
    """Return 128K, 1.5M, 0.05, 12: a tick label a person reads at a glance."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    for size, suffix in SUFFIXES:
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.3g}"


def density_chart(
    axis: ContinuousAxis,
    community,
    *,
    own=None,
    outcome: float | None = None,
    unit: str = "",
    dates: bool = False,
    fmt: str = "svg",
    zone: tzinfo = UTC,
) -> bytes:
    """Return the community density (pmf per grid cell) with the viewer's over it.

    `outcome` is the resolved value in the question's unit (POSIX seconds for
    dates; ±inf for beyond a bound), marked once known.
    """
    data = {
        "axis": [axis.range_min, axis.range_max, axis.log],
        "bounds": [axis.open_lower, axis.open_upper],
        "community": _floats(community),
        "own": _floats(own),
        "outcome": outcome,
        "unit": unit,
        "dates": dates,
        "zone": style.zone_name(zone),
    }
    return style.cached("density", fmt, data, lambda: _draw_density(axis, data, zone))


def history_chart(
    axis: ContinuousAxis,
    times: list[datetime],
    cdfs,
    *,
    until: datetime,
    outcome: float | None = None,
    unit: str = "",
    dates: bool = False,
    fmt: str = "svg",
    zone: tzinfo = UTC,
) -> bytes:
    """Return the community median over time with its 50% and 90% bands.

    Each CDF holds from its time to the next (and the last until `until`);
    a resolved question's outcome is a line across.
    """
    rows = np.array(cdfs, dtype=float, ndmin=2).reshape(len(times), -1)
    quantiles = [cdf_quantiles(row, axis, BANDS)[1].tolist() for row in rows]
    data = {
        "axis": [axis.range_min, axis.range_max, axis.log],
        "times": [t.timestamp() for t in times],
        "quantiles": quantiles,
        "until": until.timestamp(),
        "outcome": outcome,
        "unit": unit,
        "dates": dates,
        "zone": style.zone_name(zone),
    }
    return style.cached(
        "continuous-history", fmt, data, lambda: _draw_history(axis, data, zone)
    )


def pit_chart(pit, *, fmt: str = "svg", title: str = "PIT histogram") -> bytes:
    """Return the ten-bin PIT histogram: flat (the dashed line) when calibrated."""
    data = {
        "title": title,
        "n": pit.n,
        "bins": [[b.lower, b.upper, b.count] for b in pit.bins],
        "coverage": [pit.coverage_50, pit.coverage_90],
    }
    return style.cached("pit", fmt, data, lambda: _draw_pit(data))


def _floats(values) -> list[float] | None:
    return None if values is None else np.asarray(values, dtype=float).tolist()


def _draw_density(axis: ContinuousAxis, data: dict, zone: tzinfo):
    fig, axes = style.figure(7.0, 3.6)
    edges = _x_values(axis.grid(), data["dates"], zone)
    if data["community"] is None and data["own"] is None:
        style.empty(axes, "No forecasts yet")
        return fig
    curves = (("community", data["community"], style.MUTED, 0.45),)
    curves += (("your forecast", data["own"], style.ACCENT, 0.0),)
    for label, cdf, colour, fill in curves:
        if cdf is None:
            continue
        # pmf_k per cell k = 1…200, per unit of u: the area under it is the mass
        # inside the range; the two outer buckets are said on the axis label.
        height = pmf(cdf)[1:-1] * GRID_CELLS
        steps = np.append(height, height[-1])
        axes.step(
            edges,
            steps,
            where="post",
            color=colour,
            linewidth=1.6,
            label=label,
            gid=f"density-{label.split()[-1]}",
        )
        if fill:
            axes.fill_between(edges, steps, step="post", color=colour, alpha=fill)
    axes.set_ylim(bottom=0)
    axes.set_ylabel("Probability density\n(per unit of the scaled axis)")
    if data["outcome"] is not None:
        _mark_outcome(axes, axis, data, zone)
    _value_axis(axes, axis, data, zone, "x")
    axes.xaxis.set_label_text(axes.xaxis.get_label_text() + _beyond_bounds(data))
    style.legend_below(fig, axes, 3)
    return fig


def _beyond_bounds(data: dict) -> str:
    """Return what the density cannot show: the mass beyond each open bound."""
    masses = pmf(data["community"] or data["own"])
    lower, upper = data["bounds"]
    parts = [f"{_share(masses[0])} below"] if lower else []
    parts += [f"{_share(masses[-1])} above"] if upper else []
    return f" ({', '.join(parts)} the range)" if parts else ""


def _share(mass: float) -> str:
    """Return 12% or 0.4%: an open bound holds at least 0.1%, never shown as 0%."""
    return f"{mass:.0%}" if mass >= 0.095 else f"{mass:.1%}"


def _mark_outcome(
    axes, axis: ContinuousAxis, data: dict, zone: tzinfo, *, across: bool = False
) -> None:
    """Draw the outcome as a dashed line: upright on a density, across a history."""
    value = data["outcome"]
    shown = min(max(value, axis.range_min), axis.range_max)
    at = _x_values(np.array([shown]), data["dates"], zone)[0]
    (axes.axhline if across else axes.axvline)(
        at,
        color=style.RESOLVED,
        linestyle="--",
        linewidth=1.4,
        label=_outcome_text(value, axis, data, zone),
        gid="outcome",
    )


def _outcome_text(value: float, axis: ContinuousAxis, data: dict, zone) -> str:
    if value < axis.range_min:
        return "Outcome: below the range"
    if value > axis.range_max:
        return "Outcome: above the range"
    return f"Outcome: {_value_label(value, data, zone)}"


def _value_label(value: float, data: dict, zone: tzinfo) -> str:
    if data["dates"]:
        moment = style.as_date(value, zone)
        return f"{moment.day} {moment:%b %Y}"
    unit = f" {data['unit']}" if data["unit"] else ""
    return f"{human_number(value)}{unit}"


def _x_values(values: np.ndarray, dates: bool, zone: tzinfo):
    if not dates:
        return values
    return [style.as_date(float(v), zone) for v in values]


def _value_axis(axes, axis: ContinuousAxis, data: dict, zone, which: str) -> None:
    """Put the question's unit on one axis: dates, log ticks or plain numbers."""
    if data["dates"]:
        low, high = (style.as_date(v, zone) for v in axis.grid()[[0, -1]])
        style.time_axis(axes, low, high, zone, which=which)
        target = axes.xaxis if which == "x" else axes.yaxis
        target.set_label_text(f"Date ({style.zone_name(zone)})")
        return
    target = axes.xaxis if which == "x" else axes.yaxis
    (axes.set_xlim if which == "x" else axes.set_ylim)(axis.range_min, axis.range_max)
    if axis.log:
        (axes.set_xscale if which == "x" else axes.set_yscale)("log")
        target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    else:
        target.set_major_locator(MaxNLocator(nbins=7))
    target.set_major_formatter(FuncFormatter(lambda x, _: human_number(x)))
    target.set_label_text(data["unit"] or "Value")


def _draw_history(axis: ContinuousAxis, data: dict, zone: tzinfo):
    fig, axes = style.figure(7.0, 3.8)
    if not data["times"]:
        style.empty(axes, "No community history yet")
        return fig
    q = np.clip(np.array(data["quantiles"]), axis.range_min, axis.range_max)
    end = max(data["until"], data["times"][-1])
    times = [style.as_date(t, zone) for t in [*data["times"], end]]
    q = np.vstack([q, q[-1]])
    y = [_x_values(q[:, j], data["dates"], zone) for j in range(len(BANDS))]
    for low, high, alpha, label in ((0, 4, 0.18, "90%"), (1, 3, 0.35, "50%")):
        axes.fill_between(
            times,
            y[low],
            y[high],
            step="post",
            color=style.ACCENT,
            alpha=alpha,
            linewidth=0,
            label=f"{label} interval",
            gid=f"band-{label[:-1]}",
        )
    axes.step(
        times,
        y[2],
        where="post",
        color=style.ACCENT,
        linewidth=1.8,
        label="median",
        gid="median",
    )
    if data["outcome"] is not None:
        _mark_outcome(axes, axis, data, zone, across=True)
    _value_axis(axes, axis, data, zone, "y")
    style.time_axis(axes, times[0], times[-1], zone)
    style.legend_below(fig, axes, 3)
    return fig


def _draw_pit(data: dict):
    fig, axes = style.figure(6.0, 4.2)
    axes.set_title(data["title"])
    if not data["n"]:
        style.empty(axes, "No resolved numeric or date forecasts yet")
        return fig
    lows = [b[0] for b in data["bins"]]
    counts = [b[2] for b in data["bins"]]
    bars = axes.bar(
        lows,
        counts,
        width=0.1,
        align="edge",
        color=style.ACCENT,
        alpha=0.7,
        edgecolor="white",
        label="forecasts",
    )
    for i, bar in enumerate(bars):
        bar.set_gid(f"pit-{i}")
    axes.axhline(
        data["n"] / len(counts),
        color=style.MUTED,
        linestyle="--",
        label="calibrated (flat)",
    )
    axes.set_xlim(0, 1)
    c50, c90 = data["coverage"]
    axes.set_xlabel(
        "PIT: the forecast's P(X ≤ outcome)\n"
        f"Outcomes inside the central 50% interval: {c50:.0%}, 90%: {c90:.0%}"
    )
    axes.set_ylabel("Forecasts")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    style.legend_below(fig, axes, 2)
    return fig
