"""A forecaster's scores: Brier over time and the calibration chart."""

from datetime import datetime, tzinfo

from matplotlib.ticker import MaxNLocator, PercentFormatter

from forecasts.charts import style

ROLLING = 5
# Questions resolved within the same minute count as one moment of the mean.
SAME_MOMENT_SECONDS = 60


def calibration_chart(table, *, fmt: str = "svg", title: str = "Calibration") -> bytes:
    """Return the calibration chart: observed frequency per bin against forecast.

    Under it, on its own axis, the number of forecasts in each bin.
    """
    data = {"title": title, "bins": [_bin_data(b) for b in table.bins]}
    return style.cached("calibration", fmt, data, lambda: _draw_calibration(data))


def brier_over_time_chart(
    points: list[tuple[datetime, float]],
    *,
    fmt: str = "svg",
    until: datetime,
    zone: tzinfo,
) -> bytes:
    """Return each question's time-averaged Brier at its resolution and the
    rolling mean of the last ROLLING, held as a step line until `until`.
    """
    ordered = sorted(points, key=lambda p: p[0])
    data = {
        "zone": style.zone_name(zone),
        "points": [(t.timestamp(), v) for t, v in ordered],
        "until": until.timestamp(),
    }
    return style.cached("brier", fmt, data, lambda: _draw_brier(data, zone))


def rolling_means(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return (time, mean of the last ROLLING values) once per moment.

    Values at the same moment (within SAME_MOMENT_SECONDS of the first of
    them) enter the mean together, so simultaneous resolutions give one step.
    """
    means: list[tuple[float, float]] = []
    values: list[float] = []
    for time, value in points:
        values.append(value)
        window = values[-ROLLING:]
        mean = sum(window) / len(window)
        if means and time - means[-1][0] < SAME_MOMENT_SECONDS:
            means[-1] = (means[-1][0], mean)
        else:
            means.append((time, mean))
    return means


def _bin_data(b) -> dict:
    return {
        "lower": b.lower,
        "count": b.count,
        "mean": b.mean_forecast,
        "observed": b.observed_frequency,
        "low": b.ci_low,
        "high": b.ci_high,
    }


def _draw_calibration(data: dict):
    fig = style.Figure(figsize=(6.0, 6.6), layout="constrained")
    axes, strip = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [5, 1]})
    for each in (axes, strip):
        style.plain(each)
    axes.plot([0, 1], [0, 1], color=style.MUTED, linestyle="--", label="perfect")
    filled = [b for b in data["bins"] if b["count"]]
    if filled:
        _draw_bins(axes, strip, filled)
    else:
        style.empty(axes, "No resolved forecasts yet")
    axes.set(xlim=(0, 1), ylim=(0, 1))
    axes.set_title(data["title"], pad=12)
    axes.set_ylabel("Observed frequency")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.tick_params(labelbottom=False)
    strip.set_ylabel("Forecasts")
    strip.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    strip.set_ylim(bottom=0)
    strip.set_xlabel("Forecast probability")
    strip.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    style.legend_below(fig, axes, 3)
    return fig


def _draw_bins(axes, strip, filled: list[dict]) -> None:
    biggest = max(b["count"] for b in filled)
    x = [b["mean"] for b in filled]
    y = [b["observed"] for b in filled]
    # An interval never leaves [0, 1]: a frequency cannot.
    errors = [
        [b["observed"] - max(0.0, b["low"]) for b in filled],
        [min(1.0, b["high"]) - b["observed"] for b in filled],
    ]
    axes.errorbar(
        x,
        y,
        yerr=errors,
        fmt="none",
        ecolor=style.MUTED,
        capsize=3,
        clip_on=False,
        label="95% interval",
        gid="intervals",
    )
    sizes = [30 + 220 * b["count"] / biggest for b in filled]
    axes.scatter(
        x,
        y,
        s=sizes,
        color=style.ACCENT,
        zorder=3,
        label="observed",
        clip_on=False,
        gid="observed",
    )
    lows = [b["lower"] for b in filled]
    counts = [b["count"] for b in filled]
    bars = strip.bar(
        lows,
        counts,
        width=0.1,
        align="edge",
        color=style.ACCENT,
        alpha=0.35,
        edgecolor="white",
    )
    for b, bar in zip(filled, bars, strict=True):
        bar.set_gid(f"count-{round(b['lower'] * 10)}")


def _draw_brier(data: dict, zone: tzinfo):
    fig, axes = style.figure(7.0, 3.8)
    points = data["points"]
    if not points:
        style.empty(axes, "No resolved questions yet")
        return fig
    times = [style.as_date(t, zone) for t, _ in points]
    values = [v for _, v in points]
    axes.scatter(
        times,
        values,
        color=style.MUTED,
        s=18,
        label="per question",
        clip_on=False,
        gid="per-question",
    )
    means = rolling_means(points)
    end = max(data["until"], means[-1][0])
    steps = [*means, (end, means[-1][1])]
    axes.step(
        [style.as_date(t, zone) for t, _ in steps],
        [m for _, m in steps],
        where="post",
        color=style.ACCENT,
        linewidth=1.8,
        label=f"rolling mean of the last {ROLLING}",
        gid="rolling",
    )
    axes.set_ylim(0, max(0.5, max(values) * 1.1))
    axes.set_ylabel("Time-averaged Brier\n(lower is better)")
    style.time_axis(axes, times[0], style.as_date(end, zone), zone)
    # A little room on the left, so the first questions' dots are not on the frame.
    low, high = axes.get_xlim()
    axes.set_xlim(low - (high - low) * 0.03, high)
    style.legend_below(fig, axes, 2)
    return fig
