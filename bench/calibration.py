"""4. Calibration of a forecaster with a long resolved history.

Reference: the previous path, every point read into Python and binned by
scoring.calibration, measured on the same data in the same run.
"""

import secrets
from dataclasses import dataclass, fields

import numpy as np

from accounts.models import User
from bench import data
from bench.history import resolved_history
from bench.timing import Figure, best_of, seconds
from forecasts import charts, scoring
from forecasts.selectors.calibration import calibration_for, calibration_points

NAME = "calibration"


@dataclass(frozen=True)
class Size:
    forecasts: int
    repeat: int


SIZES = {"full": Size(100_000, 5), "tiny": Size(40, 1)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return the data, uncached SVG and cached SVG times for one forecaster."""
    (user_id,) = data.make_forecasters(1, prefix=f"c{rng.integers(1 << 30)}-")
    user = User.objects.get(pk=int(user_id))
    resolved_history(rng, user, size.forecasts)
    figures = [_data_figure(size, user, mode) for mode in ("final", "all")]
    table = calibration_for(user=user)
    # Titles no earlier run drew: a cache in Redis outlives the run.
    counter = iter(range(10**9))
    run_id = secrets.token_hex(4)
    fresh = best_of(
        lambda: charts.calibration_chart(
            table, title=f"Calibration {run_id}-{next(counter)}"
        ),
        size.repeat,
    )
    charts.calibration_chart(table)
    cached = best_of(lambda: charts.calibration_chart(table), size.repeat)
    reference = figures[0].value
    what = "calibration data (final mode)"
    figures += [
        Figure(
            NAME,
            "calibration SVG, uncached (drawn)",
            fresh * 1000,
            "ms",
            what,
            reference,
            target=200.0,
            on="value",
        ),
        Figure(
            NAME,
            "calibration SVG, from the cache",
            cached * 1000,
            "ms",
            what,
            reference,
            target=5.0,
            on="value",
        ),
    ]
    return figures


def _data_figure(size: Size, user, mode: str) -> Figure:
    in_sql = best_of(lambda: calibration_for(user=user, mode=mode), size.repeat)
    points = best_of(
        lambda: scoring.calibration(*calibration_points(user=user, mode=mode)),
        size.repeat,
    )
    _, table = seconds(lambda: calibration_for(user=user, mode=mode))
    return Figure(
        NAME,
        f"calibration data, {size.forecasts:,} resolved forecasts ({mode} mode)",
        in_sql * 1000,
        "ms",
        "every point read into Python, then binned",
        points * 1000,
        target=100.0,
        on="value",
        notes={
            "points": table.n,
            "largest difference from the points path": largest_difference(
                table, scoring.calibration(*calibration_points(user=user, mode=mode))
            ),
        },
    )


def largest_difference(a: scoring.Calibration, b: scoring.Calibration) -> float:
    """Return the largest difference between two calibrations' numbers."""
    if a.n != b.n or [x.count for x in a.bins] != [x.count for x in b.bins]:
        return float("inf")
    numbers = [
        (getattr(a, f.name), getattr(b, f.name))
        for f in fields(a)
        if f.name not in ("bins", "n")
    ]
    for x, y in zip(a.bins, b.bins, strict=True):
        numbers += [(getattr(x, f.name), getattr(y, f.name)) for f in fields(x)]
    return max((abs(x - y) for x, y in numbers if x is not None), default=0.0)
