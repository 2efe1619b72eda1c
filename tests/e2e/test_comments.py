"""Comments on a question, without JavaScript: before resolution they show no
forecast; after it, each shows the forecast its author held when writing."""

from datetime import timedelta

from django.utils import timezone

from forecasts.services import resolve_question
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, StaffFactory, UserFactory


def forecast(page, percent: str) -> None:
    page.fill("#id_probability", percent)
    page.click("#submit-forecast")
    page.wait_for_selector(".messages")


def test_a_comment_shows_its_authors_forecast_only_after_resolution(page_without_js):
    page = page_without_js
    question = QuestionFactory(
        title="Will the river flood this spring?",
        open_time=timezone.now() - timedelta(days=3),
    )
    eve = UserFactory(username="eve")
    log_in(page, eve)
    page.goto(f"/questions/{question.slug}/")
    forecast(page, "30")
    page.fill("#id_body", "Snowpack is *low* this year.")
    page.click("#comment-submit")
    comment = page.locator("#comment-list .comment").first
    assert "Snowpack is low this year." in comment.inner_text()
    assert comment.locator("em").inner_text() == "low"
    forecast(page, "80")

    page.click("#logout")
    page.goto(f"/questions/{question.slug}/")
    comment = page.locator("#comment-list .comment").first
    assert "eve" in comment.inner_text()
    assert comment.locator(".comment-forecast").count() == 0
    assert "30%" not in comment.inner_text() and "80%" not in comment.inner_text()

    resolve_question(question=question, user=StaffFactory(), outcome=1)
    page.goto(f"/questions/{question.slug}/")
    shown = page.locator("#comment-list .comment .comment-forecast").first
    assert shown.inner_text() == "forecast then: 30%"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "comments-resolved.png"), full_page=True)
