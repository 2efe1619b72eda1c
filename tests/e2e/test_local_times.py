"""Times show in the visitor's time zone, with UTC a hover away."""

from datetime import UTC, datetime

from django.utils import timezone

from forecasts.models import ResolutionEvent
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, StaffFactory


def test_question_page_shows_times_in_the_visitors_zone_with_utc_noted(page):
    # The page fixture's browser is in Europe/Berlin: UTC+2 in July.
    question = QuestionFactory(close_time=datetime(2030, 7, 15, 12, 0, tzinfo=UTC))
    page.goto(f"/questions/{question.slug}/")

    for closes in [
        page.locator(".q-meta time"),
        page.locator("#criteria dt:text('Closes') + dd time"),
    ]:
        assert closes.inner_text() == "15 Jul 2030, 14:00 CEST"
        assert closes.get_attribute("title") == "2030-07-15 12:00 UTC"
    footer = page.text_content(".site-footer")
    assert "Times are shown in your time zone (Europe/Berlin)" in footer
    assert "hover over a time to see it in UTC" in footer


def test_staff_type_the_outcome_time_in_their_own_zone(page):
    now = timezone.now()
    question = QuestionFactory(
        open_time=datetime(2026, 1, 1, tzinfo=UTC), close_time=now
    )
    log_in(page, StaffFactory())
    page.goto(f"/questions/{question.slug}/")  # site.js names the zone
    page.goto(f"/questions/{question.slug}/")
    label = page.locator("label[for=id_effective_at]").inner_text()
    assert label == "Outcome known at (Europe/Berlin)"
    page.fill("#id_effective_at", "2026-07-15T14:00")
    page.check("input[name=outcome][value='1']")
    page.click("#review-resolution")
    page.click("#confirm-resolution")
    page.wait_for_url(f"**/questions/{question.slug}/")
    # 14:00 in Berlin in July (CEST, UTC+2) is 12:00 UTC.
    event = ResolutionEvent.objects.get(question=question)
    assert event.effective_at == datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
