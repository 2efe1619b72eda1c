"""Numeric and date charts: density, community history and the PIT histogram."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from forecasts import charts
from forecasts.scoring.continuous import GRID, ContinuousAxis
from forecasts.scoring.continuous_calibration import pit_calibration
from tests.forecasts.svg import Svg

TOKENS = ContinuousAxis(32768, 16777216, log=True, open_lower=True, open_upper=True)
RELEASE = ContinuousAxis(
    datetime(2025, 2, 26, tzinfo=UTC).timestamp(),
    datetime(2028, 1, 1, tzinfo=UTC).timestamp(),
    open_upper=True,
)


def uniform(low=0.0, high=1.0) -> np.ndarray:
    """A CDF rising linearly from `low` at u = 0 to `high` at u = 1."""
    return low + (high - low) * GRID


def test_density_is_the_mass_per_cell_on_the_grid(db):
    # A CDF uniform on the lower half of the range: every cell there holds
    # 1/100, so its height per unit of u is 200 · 0.01 = 2; the upper half 0.
    cdf = np.minimum(GRID * 2, 1.0)
    svg = Svg(charts.density_chart(ContinuousAxis(0, 100), cdf, unit="points"))
    heights = {round(y, 3) for _, y in svg.line("density-community")}
    assert len(heights) == 2
    assert "points" in svg.texts()


def test_log_axis_has_log_ticks_in_the_unit_and_marks_the_outcome(db):
    svg = Svg(
        charts.density_chart(
            TOKENS,
            uniform(0.01, 0.99),
            own=uniform(0.02, 0.97),
            outcome=1048576.0,
            unit="tokens",
        )
    )
    texts = svg.texts()
    assert {"100K", "1M", "10M"} <= set(texts)
    assert "Outcome: 1.05M tokens" in texts
    assert "tokens (1.0% below, 1.0% above the range)" in texts
    assert svg.group("density-forecast") is not None
    assert svg.line("outcome")


def test_outcome_above_the_range_is_said(db):
    svg = Svg(charts.density_chart(TOKENS, uniform(0.01, 0.99), outcome=float("inf")))
    assert "Outcome: above the range" in svg.texts()


def test_date_axis_shows_dates_in_the_zone(db):
    svg = Svg(charts.density_chart(RELEASE, uniform(0.0, 0.9), dates=True))
    texts = svg.texts()
    assert "Date (UTC) (10% above the range)" in texts
    assert any("2026" in t for t in texts)


def test_history_draws_median_and_bands_until_now(db):
    start = datetime(2026, 11, 20, tzinfo=UTC)
    times = [start, start + timedelta(days=2)]
    svg = Svg(
        charts.history_chart(
            TOKENS,
            times,
            [uniform(0.01, 0.99), uniform(0.05, 0.99)],
            until=start + timedelta(days=5),
            outcome=2e6,
            unit="tokens",
        )
    )
    assert "Outcome: 2M tokens" in svg.texts()
    median = svg.line("median")
    left, _, right, _ = svg.axes_box()
    assert max(x for x, _ in median) == pytest.approx(right, abs=1)
    assert svg.group("band-50") is not None and svg.group("band-90") is not None
    assert "tokens" in svg.texts()


def test_a_single_history_point_still_draws_a_line(db):
    start = datetime(2026, 11, 20, 9, tzinfo=UTC)
    svg = Svg(
        charts.history_chart(
            RELEASE,
            [start],
            [uniform(0.0, 0.9)],
            until=start + timedelta(minutes=3),
            dates=True,
        )
    )
    assert len({round(x) for x, _ in svg.line("median")}) == 2


def test_pit_histogram_has_ten_bins_and_the_coverage(db):
    # PIT 0.06, 0.16, …, 0.96: one per bin (flat); in [0.25, 0.75] are
    # 0.26 … 0.66, 5 of 10 = 50%; in [0.05, 0.95] all but 0.96, 9 of 10 = 90%.
    pits = np.arange(10) / 10 + 0.06
    svg = Svg(charts.pit_chart(pit_calibration(pits)))
    assert all(svg.group(f"pit-{i}") is not None for i in range(10))
    text = " ".join(svg.texts())
    assert "50% interval: 50%, 90%: 90%" in text
