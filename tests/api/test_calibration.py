"""Calibration of a user and of the site, as tables and as charts."""

from datetime import UTC, datetime, timedelta

import pytest

from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

T0 = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
def record(db, clock, staff, django_capture_on_commit_callbacks):
    """Ada ends at 0.8 on a Yes (after 0.6) and 0.3 on a No; Bob says 0.5 on the Yes."""
    clock.set(T0)
    yes = QuestionFactory(open_time=T0, close_time=T0 + timedelta(hours=2))
    no = QuestionFactory(open_time=T0, close_time=T0 + timedelta(hours=2))
    ada, bob = UserFactory(username="ada"), UserFactory(username="bob")
    clock.set(T0 + timedelta(hours=1))
    for question, user, p in [(yes, ada, 0.6), (yes, ada, 0.8), (no, ada, 0.3)]:
        submit_forecast(question=question, user=user, probability=p)
    submit_forecast(question=yes, user=bob, probability=0.5)
    clock.set(T0 + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=yes, user=staff, outcome=1)
        resolve_question(question=no, user=staff, outcome=0)


def filled(bins) -> dict:
    return {
        round(b["lower"], 1): (b["count"], b["mean_forecast"], b["observed_frequency"])
        for b in bins
        if b["count"]
    }


def test_a_users_calibration_uses_final_forecasts(record, anon):
    data = anon.get("/api/users/ada/calibration/").json()
    assert data["n"] == 2 and len(data["bins"]) == 10
    assert filled(data["bins"]) == {0.3: (1, 0.3, 0.0), 0.8: (1, 0.8, 1.0)}
    # MSE ((0.8 - 1)^2 + 0.3^2) / 2 = 0.065, all of it reliability (one
    # forecast per bin); base rate 1/2: resolution = uncertainty = 0.25.
    assert data["mean_squared_error"] == pytest.approx(0.065)
    assert data["reliability"] == pytest.approx(0.065)
    assert data["resolution"] == pytest.approx(0.25)
    assert data["uncertainty"] == pytest.approx(0.25)
    assert data["within_bin"] == pytest.approx(0)
    bin_08 = data["bins"][8]
    assert 0 < bin_08["ci_low"] < 1 and bin_08["ci_high"] == pytest.approx(1)


def test_mode_all_counts_every_entry(record, anon):
    data = anon.get("/api/users/ada/calibration/", {"mode": "all"}).json()
    assert data["n"] == 3
    assert filled(data["bins"])[0.6] == (1, 0.6, 1.0)


def test_the_site_calibration_counts_everyone(record, anon):
    data = anon.get("/api/calibration/").json()
    assert data["n"] == 3
    assert filled(data["bins"])[0.5] == (1, 0.5, 1.0)


def test_a_tag_narrows_calibration(record, anon):
    assert anon.get("/api/calibration/", {"tag": "none-such"}).json()["n"] == 0


@pytest.mark.parametrize(
    "url, params",
    [
        ("/api/calibration/", {"mode": "best"}),
        ("/api/calibration.svg", {"mode": "best"}),
        ("/api/users/ada/calibration/", {"tag": "a b"}),
    ],
)
def test_bad_calibration_parameters_get_400(record, anon, url, params):
    response = anon.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "url",
    [
        "/api/users/ada/calibration.svg",
        "/api/calibration.svg",
    ],
)
def test_calibration_charts_come_as_svg(record, anon, url):
    response = anon.get(url, HTTP_ACCEPT="image/svg+xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


@pytest.mark.parametrize(
    "url", ["/api/users/ada/calibration.png", "/api/calibration.png"]
)
def test_calibration_charts_come_as_png(record, anon, url):
    response = anon.get(url, HTTP_ACCEPT="image/png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_chart_title_names_the_user(record, anon):
    assert b"ada" in anon.get("/api/users/ada/calibration.svg").content


def test_an_unknown_users_calibration_is_404(db, anon):
    assert anon.get("/api/users/nobody/calibration/").status_code == 404
    assert anon.get("/api/users/nobody/calibration.png").status_code == 404


def test_calibration_takes_a_fixed_number_of_queries(
    record, anon, django_assert_max_num_queries
):
    # One more than the categorical table: the PIT values of numeric and
    # date scores, read apart (issue 12); still fixed whatever the data size.
    with django_assert_max_num_queries(3):
        assert anon.get("/api/users/ada/calibration/").status_code == 200
    with django_assert_max_num_queries(2):
        assert anon.get("/api/calibration/").status_code == 200
