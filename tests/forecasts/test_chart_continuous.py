"""Numeric and date charts: density, community history and the PIT histogram."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.urls import reverse

from forecasts import charts
from forecasts.models import Outcome
from forecasts.scoring.continuous import GRID, ContinuousAxis
from forecasts.scoring.continuous_calibration import pit_calibration
from forecasts.services import (
    extend_community_series,
    resolve_question,
    submit_forecast,
)
from tests.factories import QuestionFactory, UserFactory
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


def numeric_question(**fields):
    defaults = {
        "kind": "numeric",
        "range_min": 32768.0,
        "range_max": 16777216.0,
        "scale": "log",
        "open_lower_bound": True,
        "open_upper_bound": True,
        "unit": "tokens",
    }
    return QuestionFactory(**(defaults | fields))


def chart(client, question, query="") -> Svg:
    url = reverse("forecasts:community_chart", args=[question.slug, "svg"])
    response = client.get(url + query)
    assert response.status_code == 200
    return Svg(response.content)


def around(centre: float, spread: float = 0.1) -> list[dict]:
    return [{"center": centre, "spread": spread, "weight": 1}]


def test_numeric_question_page_chart_is_the_median_history_in_tokens(
    client, user, clock
):
    question = numeric_question()
    submit_forecast(question=question, user=user, components=around(500_000))
    clock.set(clock.moment + timedelta(hours=3))
    submit_forecast(question=question, user=UserFactory(), components=around(2e6))
    clock.set(clock.moment + timedelta(hours=3))
    # As the scheduler does: store the series up to now.
    extend_community_series(question=question, until=clock.moment)
    svg = chart(client, question)
    assert len({round(x) for x, _ in svg.line("median")}) >= 3
    texts = svg.texts()
    assert "tokens" in texts and "1M" in texts
    assert svg.group("band-90") is not None


def test_density_shows_the_viewers_forecast_over_the_community(client, user):
    question = numeric_question()
    submit_forecast(question=question, user=user, components=around(500_000))
    submit_forecast(question=question, user=UserFactory(), components=around(2e6))
    client.force_login(user)
    svg = chart(client, question, "?show=density")
    assert svg.group("density-community") is not None
    assert svg.group("density-forecast") is not None
    assert "your forecast" in svg.texts()


def test_resolved_numeric_charts_mark_the_outcome(
    client, user, staff, django_capture_on_commit_callbacks
):
    question = numeric_question()
    submit_forecast(question=question, user=user, components=around(500_000))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, value=1_048_576)
    assert "Outcome: 1.05M tokens" in chart(client, question).texts()
    density = chart(client, question, "?show=density").texts()
    assert "Outcome: 1.05M tokens" in density


def test_above_the_range_is_said_on_the_chart(
    client, user, staff, django_capture_on_commit_callbacks
):
    question = numeric_question()
    submit_forecast(question=question, user=user, components=around(500_000))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, outcome=Outcome.ABOVE)
    assert "Outcome: above the range" in chart(client, question).texts()


def test_date_question_history_has_dates_on_its_value_axis(client, user):
    question = QuestionFactory(
        kind="date",
        range_min=RELEASE.range_min,
        range_max=RELEASE.range_max,
        open_upper_bound=True,
    )
    middle = datetime(2026, 6, 1, tzinfo=UTC).isoformat()
    submit_forecast(question=question, user=user, components=around(middle, 0.05))
    client.cookies["tz"] = "Asia/Tokyo"
    texts = chart(client, question).texts()
    assert "Date (Asia/Tokyo)" in texts and "Time (Asia/Tokyo)" in texts
    assert any("2027" in t for t in texts)


def test_pit_histogram_of_a_forecaster(
    client, user, staff, clock, django_capture_on_commit_callbacks
):
    question = numeric_question(close_time=clock.moment + timedelta(hours=1))
    submit_forecast(question=question, user=user, components=around(500_000))
    clock.set(clock.moment + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, value=600_000)
    url = reverse("forecasts:user_calibration_chart", args=[user.username, "svg"])
    svg = Svg(client.get(url + "?show=pit").content)
    assert all(svg.group(f"pit-{i}") is not None for i in range(10))
    assert f"Numeric and date forecasts of {user.username}: PIT" in svg.texts()
