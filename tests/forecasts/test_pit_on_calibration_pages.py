"""Numeric and date forecasts on the calibration pages: PIT counts and coverage."""

from datetime import UTC, datetime, timedelta

import pytest

from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

T0 = datetime(2025, 3, 1, tzinfo=UTC)
# The uniform CDF on a closed 0..100 linear range: F(u) = u, so the PIT of an
# outcome x is x/100.
UNIFORM = [i / 200 for i in range(201)]


@pytest.fixture
def record(db, clock, staff, django_capture_on_commit_callbacks):
    """Ada forecasts uniform on two questions that resolve at 30 and 95."""
    clock.set(T0)
    questions = [
        QuestionFactory(
            kind="numeric",
            range_min=0.0,
            range_max=100.0,
            open_time=T0,
            close_time=T0 + timedelta(hours=2),
        )
        for _ in range(2)
    ]
    ada = UserFactory(username="ada")
    clock.set(T0 + timedelta(hours=1))
    for question in questions:
        submit_forecast(question=question, user=ada, cdf=UNIFORM)
    clock.set(T0 + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        for question, value in zip(questions, (30.0, 95.0), strict=True):
            resolve_question(question=question, user=staff, value=value)


def pit_rows(html: str) -> list[tuple[str, str]]:
    table = html.split('id="pit-table"')[1].split("</table>")[0]
    cells = [c.split("<")[0] for c in table.split("<td")[1:]]
    return [
        (c.split(">")[1], n.split(">")[1])
        for c, n in zip(cells[::2], cells[1::2], strict=True)
    ]


@pytest.mark.parametrize("path", ["/calibration/", "/users/ada/calibration/"])
def test_the_calibration_pages_count_pit_values_and_coverage(record, client, path):
    html = client.get(path).content.decode()
    rows = dict(pit_rows(html))
    # PIT 0.3 falls in 30–40%, PIT 0.95 in the last bin 90–100%.
    assert rows["30%–40%"] == "1" and rows["90%–100%"] == "1"
    assert sum(int(n) for n in rows.values()) == 2
    # 0.3 is in [0.25, 0.75], 0.95 is not: 1 of 2; both in [0.05, 0.95].
    assert "50% intervals held the outcome 50% of the time" in html
    assert "90% intervals 100%" in html
    src = html.split('id="pit-chart"')[1].split('src="')[1].split('"')[0]
    chart = client.get(src.replace("&amp;", "&"))
    assert "show=pit" in src and chart.status_code == 200
    assert chart["Content-Type"].startswith("image/svg+xml")


def test_the_page_has_no_pit_section_without_numeric_forecasts(db, client):
    assert 'id="pit"' not in client.get("/calibration/").content.decode()
