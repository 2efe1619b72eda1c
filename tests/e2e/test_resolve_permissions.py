"""Forecasters who are not staff never get to the resolve panel."""

from forecasts.models import ResolutionEvent
from tests.e2e.steps import csrf_token, log_in
from tests.factories import QuestionFactory, UserFactory


def test_non_staff_see_no_panel_and_get_403_from_the_resolve_page(page):
    question = QuestionFactory()
    log_in(page, UserFactory())
    page.goto(f"/questions/{question.slug}/")
    assert page.is_visible("#forecast-form")
    assert page.locator("#resolve-panel").count() == 0
    assert page.locator("#review-resolution").count() == 0

    response = page.goto(f"/questions/{question.slug}/resolve/")
    assert response.status == 403


def test_non_staff_posting_a_resolution_get_403_and_nothing_is_written(page):
    question = QuestionFactory()
    log_in(page, UserFactory())
    # With a valid CSRF token, so that the refusal is the permission check.
    response = page.request.post(
        f"/questions/{question.slug}/resolve/",
        form={"step": "confirm", "version": "0", "outcome": "1", "note": "Mine."},
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert response.status == 403
    assert "CSRF" not in response.text()
    assert not ResolutionEvent.objects.exists()
