"""Charts: real SVG and PNG images drawn from selector data, cached by that data."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from forecasts import charts
from forecasts.charts import style
from forecasts.scoring import calibration
from forecasts.selectors.charts import (
    CommunityChartData,
    Resolved,
    community_chart_data,
)
from forecasts.selectors.questions import own_entries
from forecasts.services import resolve_question, submit_forecast
from tests.factories import UserFactory
from tests.forecasts.svg import Svg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct")
MONTHS += ("Nov", "Dec")


@pytest.fixture
def table():
    return calibration([0.15, 0.12, 0.75, 0.72, 0.91], [0, 1, 1, 1, 1])


def community_svg(client, question) -> Svg:
    url = reverse("forecasts:community_chart", args=[question.slug, "svg"])
    response = client.get(url)
    assert response.status_code == 200
    return Svg(response.content)


def xs(points) -> set[float]:
    return {round(x, 1) for x, _ in points}


def test_calibration_chart_is_a_real_svg_and_png(table, db):
    svg = charts.calibration_chart(table, fmt="svg", title="Mine")
    png = charts.calibration_chart(table, fmt="png", title="Mine")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert b"Mine" in svg and b"Observed frequency" in svg
    assert png.startswith(PNG_MAGIC) and len(png) > 5000


def test_chart_is_cached_by_its_data(table, db, monkeypatch):
    first = charts.calibration_chart(table, fmt="svg", title="Cached")
    drawn = []
    monkeypatch.setattr(style, "render", lambda *a: drawn.append(a) or b"new")
    assert charts.calibration_chart(table, fmt="svg", title="Cached") == first
    assert drawn == []
    other = calibration([0.35], [1])
    assert charts.calibration_chart(other, fmt="svg", title="Cached") == b"new"


def test_unknown_format_is_refused(table, db):
    with pytest.raises(ValueError, match="svg or png"):
        charts.calibration_chart(table, fmt="gif")


def test_community_chart_draws_from_selector_data_without_queries(
    binary_question, user, clock, django_assert_num_queries
):
    submit_forecast(question=binary_question, user=user, probability=0.3)
    clock.set(clock.moment + timedelta(hours=2))
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.8)
    data = community_chart_data(
        binary_question, own_entries(binary_question, user), now=clock.moment
    )
    with django_assert_num_queries(0):
        svg = charts.community_chart(data, fmt="svg", zone=UTC)
    assert {"your forecasts", "community P(yes)"} <= set(Svg(svg).texts())


def test_empty_charts_say_so(db, binary_question):
    data = community_chart_data(binary_question, [], now=datetime.now(UTC))
    assert b"No community history yet" in charts.community_chart(
        data, fmt="svg", zone=UTC
    )
    empty = charts.brier_over_time_chart(
        [], fmt="svg", until=datetime.now(UTC), zone=UTC
    )
    assert b"No resolved questions yet" in empty


def test_a_single_forecaster_gets_a_line_to_now(client, binary_question, user, clock):
    # Mid-minute: the chart's "now" is kept to the minute for the cache.
    clock.set(clock.moment.replace(second=30))
    submit_forecast(question=binary_question, user=user, probability=0.3)
    line = community_svg(client, binary_question).line("line-1")
    assert len(xs(line)) >= 2


def test_resolved_chart_marks_the_outcome_and_everyones_final_forecast(
    client, binary_question, staff, clock, django_capture_on_commit_callbacks
):
    ann, bob = UserFactory(), UserFactory()
    submit_forecast(question=binary_question, user=ann, probability=0.9)
    clock.set(clock.moment + timedelta(hours=5))
    submit_forecast(question=binary_question, user=bob, probability=0.2)
    before = community_svg(client, binary_question)
    # Before resolution nobody's own forecast is on the chart.
    assert before.group("finals-1") is None
    clock.set(clock.moment + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary_question, user=staff, outcome=1)
    svg = community_svg(client, binary_question)
    line = svg.line("line-1")
    assert len(xs(line)) >= 3
    assert "Resolved Yes" in svg.texts()
    assert len(svg.marks("outcome")) == 1
    finals = svg.marks("finals-1")
    # ann's 90% sits above bob's 20% (SVG y grows downwards).
    assert len(finals) == 2 and finals[0]["y"] < finals[1]["y"]
    # The line reaches the resolution mark at the right of the chart.
    assert max(x for x, _ in line) == pytest.approx(svg.marks("outcome")[0]["x"])


def test_times_are_shown_in_the_visitors_zone(client, binary_question, user, clock):
    clock.set(datetime(2026, 11, 30, 15, 10, tzinfo=UTC))
    binary_question.open_time = clock.moment - timedelta(days=1)
    binary_question.save()
    submit_forecast(question=binary_question, user=user, probability=0.3)
    clock.set(clock.moment + timedelta(hours=5))
    client.cookies["tz"] = "UTC"
    utc = community_svg(client, binary_question).texts()
    client.cookies["tz"] = "Asia/Tokyo"
    tokyo = community_svg(client, binary_question).texts()
    assert "Time (UTC)" in utc and "Time (Asia/Tokyo)" in tokyo
    # 15:10 to 20:10 UTC is 00:10 to 05:10 on 1 December in Tokyo.
    assert any("30 Nov" in t for t in utc) and not any("1 Dec" in t for t in utc)
    assert any("1 Dec" in t for t in tokyo)


def test_own_multiple_choice_entries_take_their_options_colour(
    client, mc_question, user
):
    submit_forecast(question=mc_question, user=user, probabilities=[0.2, 0.5, 0.3])
    client.force_login(user)
    svg = community_svg(client, mc_question)
    fills = [svg.marks(f"own-{k}")[0]["fill"] for k in range(3)]
    assert len(set(fills)) == 3 and "#000000" not in fills
    assert fills == [style.colour(k) for k in range(3)]
    assert {"Low", "Mid", "High", "your forecasts"} <= set(svg.texts())


def test_legend_sits_below_the_data(client, mc_question, user):
    submit_forecast(question=mc_question, user=user, probabilities=[0.2, 0.5, 0.3])
    client.force_login(user)
    svg = community_svg(client, mc_question)
    bottom = svg.axes_box()[3]
    assert all(y > bottom for _, _, y in svg.text_positions("legend_1"))


SPANS = [
    timedelta(minutes=3),
    timedelta(hours=1),
    timedelta(hours=20),
    timedelta(days=9),
    timedelta(days=80),
    timedelta(days=400),
    timedelta(days=1000),
]


@pytest.mark.parametrize("span", SPANS)
def test_time_ticks_read_at_every_span(span):
    zone = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 14, 22, 47, tzinfo=zone)
    figure, axes = style.figure()
    axes.plot([start, start + span], [0, 1])
    style.time_axis(axes, start, start + span, zone)
    style.render(figure, "svg")
    low, high = axes.get_xlim()
    ticks = [t for t in axes.get_xticks() if low <= t <= high]
    labels = axes.xaxis.get_major_formatter().format_ticks(ticks)
    assert 3 <= len(ticks) <= 9
    assert all(a != b for a, b in zip(labels, labels[1:], strict=False))
    # The first label says the month (with the day, or the year).
    assert any(month in labels[0] for month in MONTHS)


def test_thousands_of_final_forecasts_are_sampled_and_said_so(db):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    finals = [(start + timedelta(minutes=i), [0.5, 0.5]) for i in range(3000)]
    end = start + timedelta(days=3)
    data = CommunityChartData(
        options=["No", "Yes"],
        binary=True,
        points=[(start, [0.5, 0.5])],
        own=[],
        until=end,
        resolved=Resolved(end, False, 1, "Resolved Yes"),
        finals=finals,
    )
    svg = Svg(charts.community_chart(data, fmt="svg", zone=UTC))
    assert len(svg.marks("finals-1")) == 1000
    assert "final forecasts (1,000 of 3,000)" in svg.texts()


@pytest.mark.parametrize("forecasters", [1, 25])
def test_resolved_chart_runs_a_fixed_number_of_queries(
    client,
    binary_question,
    staff,
    forecasters,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    for _ in range(forecasters):
        submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary_question, user=staff, outcome=0)
    url = reverse("forecasts:community_chart", args=[binary_question.slug, "svg"])
    # question, tags, community, community series, resolution, final forecasts
    with django_assert_max_num_queries(6):
        svg = Svg(client.get(url).content)
    assert len(svg.marks("finals-1")) == forecasters
    assert "Resolved No" in svg.texts()
