"""Profile charts: Brier over time and calibration read at one or two questions."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from matplotlib.collections import LineCollection

from forecasts import charts
from forecasts.charts import style
from forecasts.charts.scores import rolling_means
from forecasts.scoring import calibration
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory
from tests.forecasts.svg import Svg
from tests.forecasts.test_charts import MONTHS


@pytest.fixture
def two_resolved_at_once(user, staff, clock, django_capture_on_commit_callbacks):
    """Two questions that close in 2028, resolved early seconds apart."""
    questions = [
        QuestionFactory(close_time=clock.moment + timedelta(days=800)) for _ in range(2)
    ]
    for question, probability in zip(questions, (0.8, 0.3), strict=True):
        submit_forecast(question=question, user=user, probability=probability)
    clock.set(clock.moment + timedelta(hours=1))
    for question in questions:
        clock.set(clock.moment + timedelta(seconds=20))
        with django_capture_on_commit_callbacks(execute=True):
            resolve_question(question=question, user=staff, outcome=1)
    clock.set(clock.moment + timedelta(days=3))
    return user


def test_rolling_mean_is_a_line_over_time_not_a_vertical(client, two_resolved_at_once):
    user = two_resolved_at_once
    url = reverse("forecasts:brier_chart", args=[user.username, "svg"])
    svg = Svg(client.get(url).content)
    line = svg.line("rolling")
    left, _, right, _ = svg.axes_box()
    # The mean holds from the resolutions until now, across most of the width.
    assert max(x for x, _ in line) - min(x for x, _ in line) > (right - left) / 2
    # One step: both questions entered the mean at the same moment.
    assert len({round(y, 1) for _, y in line}) == 1
    assert len(svg.marks("per-question")) == 2
    ticks = [t for t in svg.texts() if t[:1].isdigit()]
    assert any(month in ticks[0] for month in MONTHS)


def test_rolling_mean_counts_same_moment_resolutions_together():
    # (0.5 + 0.1)/2 = 0.3 at t=0; then (0.5 + 0.1 + 0.9)/3 = 0.5 at t=3600.
    means = rolling_means([(0, 0.5), (30, 0.1), (3600, 0.9)])
    assert means == [(0, pytest.approx(0.3)), (3600, pytest.approx(0.5))]


@pytest.fixture
def drawn(monkeypatch):
    """Keep the figure a chart draws, to read its artists."""
    figures = []
    monkeypatch.setattr(style, "render", lambda fig, fmt: figures.append(fig) or b"")
    return figures


def test_calibration_legend_is_outside_and_counts_have_a_scale(db, drawn):
    table = calibration([0.05, 0.05, 0.15, 0.92, 0.95, 0.97], [0, 0, 1, 1, 1, 0])
    charts.calibration_chart(table, fmt="svg", title="Mine")
    figure = drawn[0]
    figure.canvas.draw()
    data, strip = figure.axes
    legend = figure.legends[0].get_window_extent()
    for axes in (data, strip):
        assert not legend.overlaps(axes.get_window_extent())
    assert strip.get_ylabel() == "Forecasts"
    counts = [t.get_text() for t in strip.get_yticklabels() if t.get_text()]
    assert len(counts) >= 2 and all(c.isdigit() for c in counts)


def test_calibration_intervals_stay_within_zero_and_one(db, drawn):
    wide = SimpleNamespace(
        lower=0.9,
        count=3,
        mean_forecast=0.95,
        observed_frequency=0.9,
        ci_low=0.4,
        ci_high=1.3,
    )
    low = SimpleNamespace(
        lower=0.0,
        count=2,
        mean_forecast=0.05,
        observed_frequency=0.05,
        ci_low=-0.2,
        ci_high=0.6,
    )
    charts.calibration_chart(SimpleNamespace(bins=[low, wide]), fmt="svg")
    data = drawn[0].axes[0]
    lines = [c for c in data.collections if isinstance(c, LineCollection)]
    segments = [s for c in lines for s in c.get_segments()]
    ys = [y for segment in segments for _, y in segment]
    assert ys and min(ys) == pytest.approx(0.0) and max(ys) == pytest.approx(1.0)
