"""Charts: real SVG and PNG images drawn from selector data, cached by that data."""

import re
from datetime import timedelta

import pytest

from forecasts import charts
from forecasts.models import CommunityPoint
from forecasts.scoring import calibration
from forecasts.selectors.community import community_history
from forecasts.selectors.questions import own_entries
from forecasts.services import extend_community_series, submit_forecast
from tests.factories import UserFactory

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def table():
    return calibration([0.15, 0.12, 0.75, 0.72, 0.91], [0, 1, 1, 1, 1])


def test_calibration_chart_is_a_real_svg_and_png(table, db):
    svg = charts.calibration_chart(table, fmt="svg", title="Mine")
    png = charts.calibration_chart(table, fmt="png", title="Mine")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert b"Mine" in svg and b"Observed frequency" in svg
    assert png.startswith(PNG_MAGIC) and len(png) > 5000


def test_chart_is_cached_by_its_data(table, db, monkeypatch):
    first = charts.calibration_chart(table, fmt="svg", title="Cached")
    drawn = []
    monkeypatch.setattr(charts, "_render", lambda *a: drawn.append(a) or b"new")
    assert charts.calibration_chart(table, fmt="svg", title="Cached") == first
    assert drawn == []
    other = calibration([0.35], [1])
    assert charts.calibration_chart(other, fmt="svg", title="Cached") == b"new"


def test_unknown_format_is_refused(table, db):
    with pytest.raises(ValueError, match="svg or png"):
        charts.calibration_chart(table, fmt="gif")


def test_community_chart_marks_own_entries_without_queries(
    binary_question, user, clock, django_assert_num_queries
):
    submit_forecast(question=binary_question, user=user, probability=0.3)
    clock.set(clock.moment + timedelta(hours=2))
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.8)
    clock.set(clock.moment + timedelta(hours=3))
    extend_community_series(question=binary_question, until=clock.moment)
    points, mine = (
        community_history(binary_question),
        own_entries(binary_question, user),
    )
    with django_assert_num_queries(0):
        svg = charts.community_chart(binary_question, points, mine, fmt="svg")
    assert b"your forecasts" in svg and b"community P(yes)" in svg


def test_empty_charts_say_so(db, binary_question):
    assert b"No community history yet" in charts.community_chart(
        binary_question, [], [], fmt="svg"
    )
    assert b"No resolved questions yet" in charts.brier_over_time_chart([], fmt="svg")


def test_a_single_community_point_still_draws_a_line_to_now(binary_question, user):
    submit_forecast(question=binary_question, user=user, probability=0.3)
    point = CommunityPoint(
        question=binary_question,
        time=binary_question.open_time,
        probabilities=[0.7, 0.3],
        forecasters=1,
    )
    until = binary_question.open_time + timedelta(hours=5)
    without = charts.community_chart(binary_question, [point], [], fmt="svg")
    with_until = charts.community_chart(
        binary_question, [point], [], fmt="svg", until=until
    )
    # The step line (SVG group "line-1") needs two vertices to be seen.
    assert line_vertices(without) == 1
    assert line_vertices(with_until) >= 2


def line_vertices(svg: bytes) -> int:
    match = re.search(rb'<g id="line-1">\s*<path d="([^"]*)"', svg)
    return len(re.findall(rb"[ML] ", match.group(1)))
