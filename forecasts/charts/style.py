"""What every chart shares: colours, the figure, caching, rendering, time axes."""

import hashlib
import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache  # noqa: E402
from matplotlib.dates import (  # noqa: E402
    DayLocator,
    HourLocator,
    MinuteLocator,
    MonthLocator,
    YearLocator,
    date2num,
    num2date,
)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import Formatter  # noqa: E402

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
CACHE_SECONDS = 24 * 3600
INK, ACCENT, MUTED, GRID = "#1f2933", "#2563eb", "#9aa5b1", "#e4e7eb"
RESOLVED = "#b91c1c"
# Colour-blind-safe (Okabe–Ito) first, then matplotlib's own cycle.
PALETTE = [
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    *matplotlib.rcParams["axes.prop_cycle"].by_key()["color"],
]
# Labels are what people typed ("Between $1 and $2"): every text is drawn as
# typed, never parsed as mathtext or LaTeX, whose syntax errors would be a 500.
# Text objects read these when created, so drawing runs inside them too.
LITERAL_TEXT = {"text.parse_math": False, "text.usetex": False}
# A time axis never spans less than this: minutes would be labelled in seconds.
MIN_SPAN = timedelta(minutes=20)


def colour(k: int) -> str:
    """Return the colour of option k, the same in every chart."""
    return PALETTE[k % len(PALETTE)]


def cached(kind: str, fmt: str, data: dict, draw: Callable[[], Figure]) -> bytes:
    """Return the chart drawn from data, from the cache when the data is unchanged.

    The key is a digest of everything the chart shows, the time zone included.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}; use svg or png.")
    text = json.dumps(data, sort_keys=True, default=str)
    key = f"chart:{kind}:{fmt}:{hashlib.sha256(text.encode()).hexdigest()}"
    image = cache.get(key)
    if image is None:
        with matplotlib.rc_context(LITERAL_TEXT):
            image = render(draw(), fmt)
        cache.set(key, image, CACHE_SECONDS)
    return image


def render(figure: Figure, fmt: str) -> bytes:
    """Return the figure as SVG or PNG bytes, identical for identical figures."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(
        {"svg.hashsalt": "forecast-ledger", "svg.fonttype": "none"}
    ):
        figure.savefig(buffer, format=fmt, dpi=100, metadata=metadata)
    return buffer.getvalue()


def figure(width=6.4, height=4.2) -> tuple[Figure, object]:
    """Return a figure with one plain axes: no top or right frame, a light grid."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.add_subplot()
    plain(axes)
    return fig, axes


def plain(axes) -> None:
    """Drop the top and right frame and draw a light grid under the data."""
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)


def empty(axes, text: str) -> None:
    """Say in the middle of the axes why there is nothing to show."""
    axes.text(0.5, 0.5, text, ha="center", transform=axes.transAxes, color=INK)


def legend_below(fig: Figure, axes, entries: int) -> None:
    """Put the legend under the axes, outside the data, in as few rows as fit."""
    handles, labels = axes.get_legend_handles_labels()
    if not handles:
        return
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=min(entries, 4),
        frameon=False,
        fontsize="small",
    )


def zone_name(zone: tzinfo) -> str:
    """Return the zone's IANA name (or its abbreviation), as the axis says it."""
    return getattr(zone, "key", None) or str(zone)


def time_axis(
    axes, start: datetime, end: datetime, zone: tzinfo, *, which: str = "x"
) -> None:
    """Show [start, end] in the zone with ticks that say the day and the month.

    A span under MIN_SPAN is widened backwards to MIN_SPAN ending at `end`.
    """
    start = min(start, end - MIN_SPAN)
    axis = axes.xaxis if which == "x" else axes.yaxis
    (axes.set_xlim if which == "x" else axes.set_ylim)(start, end)
    axis.set_major_locator(_locator(end - start, zone))
    sep = "\n" if which == "x" else " "
    axis.set_major_formatter(TimeFormatter(zone, end - start, sep))
    axis.set_label_text(f"Time ({zone_name(zone)})")


def _locator(span: timedelta, zone: tzinfo):
    hours = span.total_seconds() / 3600
    days = hours / 24
    if hours <= 2:
        step = next(s for s in (2, 5, 10, 15, 30) if hours * 60 / s <= 8)
        return MinuteLocator(byminute=range(0, 60, step), tz=zone)
    if days <= 2:
        step = next(s for s in (1, 2, 3, 4, 6, 12) if hours / s <= 8)
        return HourLocator(byhour=range(0, 24, step), tz=zone)
    if days <= 120:
        step = next(s for s in (1, 2, 7, 14, 28) if days / s <= 8)
        if step >= 7:
            return DayLocator(bymonthday=_monthdays(step), tz=zone)
        return DayLocator(interval=step, tz=zone)
    months = days / 30.44
    if months <= 36:
        step = next(s for s in (1, 2, 3, 6) if months / s <= 8)
        return MonthLocator(bymonth=range(1, 13, step), tz=zone)
    return YearLocator(base=max(1, round(months / 12 / 8)), tz=zone)


def _monthdays(step: int) -> list[int]:
    return {7: [1, 8, 15, 22], 14: [1, 15], 28: [1]}[step]


class TimeFormatter(Formatter):
    """Label ticks with what changed: the first tick and each new day or year
    say the day and the month (and the year), the others only the finer part.
    """

    def __init__(self, zone: tzinfo, span: timedelta, sep: str = "\n"):
        self.zone = zone
        self.span = span
        self.sep = sep

    def __call__(self, x, pos=None):
        return self.format_ticks([x])[0]

    def format_ticks(self, values):
        times = [num2date(v, tz=self.zone) for v in values]
        labels, previous = [], None
        for moment in times:
            labels.append(self._label(moment, previous))
            previous = moment
        return labels

    def _label(self, moment: datetime, previous: datetime | None) -> str:
        day = f"{moment.day} {moment:%b}"
        if self.span <= timedelta(days=2):
            clock = f"{moment:%H:%M}"
            if previous is None or previous.date() != moment.date():
                return f"{clock}{self.sep}{day}"
            return clock
        if self.span <= timedelta(days=120):
            if previous is None or previous.year != moment.year:
                return f"{day}{self.sep}{moment.year}"
            return day
        if self.span <= timedelta(days=3 * 366):
            if previous is None or previous.year != moment.year:
                return f"{moment:%b}{self.sep}{moment.year}"
            return f"{moment:%b}"
        return str(moment.year)


def as_date(seconds: float, zone: tzinfo) -> datetime:
    """Return POSIX seconds as an aware datetime in the zone."""
    return datetime.fromtimestamp(seconds, tz=zone)


def to_num(moment: datetime) -> float:
    """Return matplotlib's number for a datetime."""
    return float(date2num(moment))
