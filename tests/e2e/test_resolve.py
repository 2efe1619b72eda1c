"""Staff resolve a closed question; the forecaster sees scores and calibration."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from forecasts.models import ResolutionEvent
from forecasts.services import submit_forecast
from tests.e2e.steps import loaded_image, log_in
from tests.factories import QuestionFactory, StaffFactory, UserFactory

CHART_TYPES = ("image/svg+xml", "image/png")


@pytest.fixture
def forecaster():
    return UserFactory(username="carol")


@pytest.fixture
def question(forecaster, monkeypatch):
    """A question that closed yesterday, forecast 72% then 65% while it was open."""
    now = timezone.now()
    question = QuestionFactory(
        title="Will R2 be released before June?",
        open_time=now - timedelta(days=20),
        close_time=now - timedelta(days=1),
    )
    for days_ago, probability in [(10, Decimal("0.72")), (5, Decimal("0.65"))]:
        with monkeypatch.context() as patch:
            moment = now - timedelta(days=days_ago)
            patch.setattr("django.utils.timezone.now", lambda moment=moment: moment)
            submit_forecast(question=question, user=forecaster, probability=probability)
    return question


def test_staff_resolve_yes_then_forecaster_sees_brier_and_calibration(
    page, screenshot, question, forecaster
):
    log_in(page, StaffFactory())
    page.goto(f"/questions/{question.slug}/")
    page.check("#resolve-panel #id_outcome_1")
    page.fill("#resolve-panel #id_note", "Released on 20 May, per Reuters.")
    page.click("#resolve-panel #review-resolution")

    assert page.text_content("#new-outcome") == "Yes"
    assert "1 forecaster will be scored" in page.text_content("#forecasters-count")
    assert "Released on 20 May, per Reuters." in page.text_content("#confirmation")
    assert not ResolutionEvent.objects.exists()  # reviewing writes nothing
    screenshot("resolve-confirmation")
    page.click("#confirm-resolution")

    assert "Resolved (version 1)." in page.text_content(".messages")
    assert page.text_content("#outcome") == "Yes"
    event = ResolutionEvent.objects.get(question=question)
    assert (event.outcome, event.note) == (1, "Released on 20 May, per Reuters.")

    page.click("#logout")
    log_in(page, forecaster)
    page.goto(f"/questions/{question.slug}/")
    assert page.locator("#scores-pending").count() == 0
    assert page.text_content("#score-brier") == "0.245"  # 2 · 0.35²
    assert "Released on 20 May, per Reuters." in page.text_content("#resolution")
    assert page.text_content("#forecast-refusal") == (
        "This question has been resolved; it accepts no forecasts."
    )

    page.click("#nav-profile")
    chart = loaded_image(page, "#calibration-chart")
    assert page.eval_on_selector("#calibration-chart", "img => img.naturalWidth") > 0
    assert chart.ok and chart.headers["content-type"] in CHART_TYPES
    assert len(chart.body()) > 1000
    bin_60 = page.locator("#calibration-bins tbody tr", has_text="60%–70%")
    assert bin_60.locator("td").all_inner_texts()[1:4] == ["1", "65%", "100%"]
    assert page.locator("#scores-table tbody tr").count() == 1
    screenshot("profile-calibration")

    page.click("nav >> text=Leaderboard")
    row = page.locator("#leaderboard tbody tr.you")
    assert "carol" in row.inner_text()
    screenshot("leaderboard")
