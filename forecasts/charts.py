"""Charts drawn with matplotlib (Agg) from data a selector hands over.

Nothing here queries the database. Every chart is cached under a digest of the
data it shows, so new data shows at once and an unchanged chart is not redrawn.
"""

import hashlib
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache  # noqa: E402
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
CACHE_SECONDS = 24 * 3600
ROLLING = 5
MIN_SPAN = timedelta(days=1)
INK, ACCENT, MUTED = "#1f2933", "#2563eb", "#9aa5b1"
# Labels are what people typed ("Between $1 and $2"): every text is drawn as
# typed, never parsed as mathtext or LaTeX, whose syntax errors would be a 500.
# Text objects read these when created, so drawing runs inside them too.
LITERAL_TEXT = {"text.parse_math": False, "text.usetex": False}


def calibration_chart(table, *, fmt: str = "svg", title: str = "Calibration") -> bytes:
    """Return the calibration chart: observed frequency per bin against forecast."""
    data = {"title": title, "bins": [_bin_data(b) for b in table.bins]}
    return _cached("calibration", fmt, data, lambda: _draw_calibration(data))


def community_chart(
    question, points, own_entries, *, fmt: str = "svg", until: datetime | None = None
) -> bytes:
    """Return the community forecast over time, with the user's own entries marked.

    The last value holds until `until` (say, now or the close), so a young
    question with a single point still shows a line.
    """
    data = {
        "options": list(question.options),
        "binary": question.is_binary,
        "points": [(p.time.timestamp(), p.probabilities) for p in points],
        "own": [(e.created_at.timestamp(), e.probabilities) for e in own_entries],
        "until": until.timestamp() if until else None,
    }
    return _cached("community", fmt, data, lambda: _draw_community(data))


def brier_over_time_chart(scores, *, fmt: str = "svg") -> bytes:
    """Return a user's time-averaged Brier per question and its rolling mean."""
    ordered = sorted(scores, key=lambda s: s.resolution.created_at)
    data = {
        "points": [
            (s.resolution.created_at.timestamp(), s.time_averaged_brier)
            for s in ordered
        ]
    }
    return _cached("brier", fmt, data, lambda: _draw_brier(data))


def _bin_data(b) -> dict:
    return {
        "lower": b.lower,
        "count": b.count,
        "mean": b.mean_forecast,
        "observed": b.observed_frequency,
        "low": b.ci_low,
        "high": b.ci_high,
    }


def _cached(kind: str, fmt: str, data: dict, draw: Callable[[], Figure]) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}; use svg or png.")
    text = json.dumps(data, sort_keys=True, default=str)
    key = f"chart:{kind}:{fmt}:{hashlib.sha256(text.encode()).hexdigest()}"
    image = cache.get(key)
    if image is None:
        with matplotlib.rc_context(LITERAL_TEXT):
            image = _render(draw(), fmt)
        cache.set(key, image, CACHE_SECONDS)
    return image


def _render(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    # Fixed metadata and hash salt keep the same data's SVG byte-identical.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(
        {"svg.hashsalt": "forecast-ledger", "svg.fonttype": "none"}
    ):
        figure.savefig(buffer, format=fmt, dpi=100, metadata=metadata)
    return buffer.getvalue()


def _figure(width=6.4, height=4.2) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(True, color="#e4e7eb", linewidth=0.6)
    return figure, axes


def _draw_calibration(data: dict) -> Figure:
    figure, axes = _figure(6.0, 6.0)
    axes.plot([0, 1], [0, 1], color=MUTED, linestyle="--", label="perfect calibration")
    filled = [b for b in data["bins"] if b["count"]]
    if filled:
        _draw_bins(axes, filled)
    else:
        _empty(axes, "No resolved forecasts yet")
    axes.set(xlim=(0, 1), ylim=(0, 1), title=data["title"])
    axes.set_xlabel("Forecast probability (bars: forecasts per bin)")
    axes.set_ylabel("Observed frequency")
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.legend(loc="upper left", frameon=False, markerscale=0.5)
    return figure


def _draw_bins(axes, filled: list[dict]) -> None:
    biggest = max(b["count"] for b in filled)
    x = [b["mean"] for b in filled]
    y = [b["observed"] for b in filled]
    errors = [
        [b["observed"] - b["low"] for b in filled],
        [b["high"] - b["observed"] for b in filled],
    ]
    # Points at 0% or 100% sit on the frame: draw them whole, not clipped.
    axes.errorbar(x, y, yerr=errors, fmt="none", ecolor=MUTED, capsize=3, clip_on=False)
    sizes = [30 + 220 * b["count"] / biggest for b in filled]
    axes.scatter(
        x, y, s=sizes, color=ACCENT, zorder=3, label="observed (95% CI)", clip_on=False
    )
    # The strip along the bottom shows how many forecasts each bin holds.
    lows = [b["lower"] for b in filled]
    heights = [0.08 * b["count"] / biggest for b in filled]
    axes.bar(lows, heights, width=0.1, align="edge", color=ACCENT, alpha=0.18)


def _empty(axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", transform=axes.transAxes, color=INK)


def _date_axis(axes, times: list[datetime]) -> None:
    # A span of minutes would be labelled in odd second offsets: show a day.
    first, last = min(times), max(times)
    if last - first < MIN_SPAN:
        middle = first + (last - first) / 2
        axes.set_xlim(middle - MIN_SPAN / 2, middle + MIN_SPAN / 2)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _draw_community(data: dict) -> Figure:
    figure, axes = _figure(7.0, 3.6)
    points = data["points"]
    if not points:
        _empty(axes, "No community history yet")
        return figure
    if data["until"] and data["until"] > points[-1][0]:
        points = [*points, (data["until"], points[-1][1])]
    times = [_date(t) for t, _ in points]
    shown = [1] if data["binary"] else range(len(data["options"]))
    for k in shown:
        label = "community P(yes)" if data["binary"] else data["options"][k]
        values = [vector[k] for _, vector in points]
        axes.step(
            times, values, where="post", label=label, linewidth=1.6, gid=f"line-{k}"
        )
    if data["own"]:
        own_times = [_date(t) for t, _ in data["own"]]
        for k in shown:
            values = [vector[k] for _, vector in data["own"]]
            label = "your forecasts" if k == shown[0] else None
            axes.scatter(own_times, values, marker="D", s=28, color=INK, label=label)
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    _date_axis(axes, times + [_date(t) for t, _ in data["own"]])
    axes.set_xlabel("Time (UTC)")
    axes.legend(loc="best", frameon=False, fontsize="small")
    return figure


def _draw_brier(data: dict) -> Figure:
    figure, axes = _figure(7.0, 3.6)
    points = data["points"]
    if not points:
        _empty(axes, "No resolved questions yet")
        return figure
    times = [_date(t) for t, _ in points]
    values = [v for _, v in points]
    rolling = [
        sum(values[max(0, i - ROLLING + 1) : i + 1])
        / len(values[max(0, i - ROLLING + 1) : i + 1])
        for i in range(len(values))
    ]
    axes.scatter(times, values, color=MUTED, s=18, label="per question")
    label = f"rolling mean of {ROLLING}"
    axes.plot(times, rolling, color=ACCENT, linewidth=1.8, label=label)
    axes.set_ylim(0, max(0.5, max(values) * 1.1))
    axes.set_ylabel("Time-averaged Brier (lower is better)")
    _date_axis(axes, times)
    axes.legend(loc="best", frameon=False, fontsize="small")
    return figure


def _date(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
