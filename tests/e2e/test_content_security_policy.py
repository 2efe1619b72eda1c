"""The main pages run under the Content-Security-Policy with no violation.

The browser reports every blocked script, style or image as a console error
and a `securitypolicyviolation` event; both are collected. The pages' own
JavaScript must still work: local times, the slider, normalising.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from forecasts.services import resolve_question, score_resolution, submit_forecast
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, StaffFactory, UserFactory

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    """The page, and the CSP complaints it makes: console errors and events."""
    complaints = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            complaints.append(message.text)

    page.on("console", on_console)

    def visit(url: str) -> None:
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
        complaints.extend(page.evaluate("window.__violations"))

    return page, visit, complaints


@pytest.fixture
def world(monkeypatch):
    user = UserFactory()
    other = UserFactory()
    binary = QuestionFactory(title="Binary?")
    mc = QuestionFactory(
        title="Which?", kind="multiple_choice", options=["Low", "Mid", "High"]
    )
    submit_forecast(question=mc, user=other, probabilities=[0.2, 0.3, 0.5])
    submit_forecast(question=mc, user=user, probabilities=[0.3, 0.3, 0.4])
    submit_forecast(question=binary, user=other, probability=0.6)
    now = timezone.now()
    done = QuestionFactory(
        title="Done?",
        open_time=now - timedelta(days=10),
        close_time=now - timedelta(days=1),
    )
    with monkeypatch.context() as past:
        past.setattr("django.utils.timezone.now", lambda: now - timedelta(days=5))
        submit_forecast(question=done, user=user, probability=0.7)
    event = resolve_question(question=done, user=StaffFactory(), outcome=1)
    score_resolution(resolution_id=event.pk)
    return {"user": user, "binary": binary, "mc": mc, "done": done}


def test_the_main_pages_load_without_csp_violations_and_their_js_works(watched, world):
    page, visit, complaints = watched
    visit("/accounts/login/")
    visit("/accounts/signup/")
    log_in(page, world["user"])
    for url in [
        "/",
        "/leaderboard/",
        "/calibration/",
        "/scoring/",
        f"/users/{world['user'].username}/",
        f"/users/{world['user'].username}/calibration/",
        f"/questions/{world['done'].slug}/",
    ]:
        visit(url)
        # site.js ran: it names the visitor's time zone in the footer.
        assert "Europe/Berlin" in page.text_content("#visitor-tz"), url

    visit(f"/questions/{world['binary'].slug}/")
    page.fill("#id_probability", "72")
    assert page.input_value("#probability-slider") == "72"

    visit(f"/questions/{world['mc'].slug}/")
    for index, value in enumerate(["50", "40", "30"]):
        page.fill(f"#id_option_{index}", value)
    assert page.text_content("#total") == "120"
    page.click("#normalise")
    assert page.input_value("#id_option_0") == "41.67"
    assert page.text_content("#total") == "100"
    assert complaints == []


def test_the_admin_and_the_api_docs_work_under_the_policy(watched, world):
    page, visit, complaints = watched
    staff = StaffFactory(is_superuser=True)
    log_in(page, staff)
    visit("/admin/")
    visit("/admin/forecasts/question/")
    visit(f"/admin/forecasts/question/{world['binary'].pk}/change/")
    visit(f"/questions/{world['binary'].slug}/resolve/")
    visit("/admin/forecasts/question/add/")
    # The admin's own scripts run: the slug follows the title, the calendar opens.
    page.locator("#id_title").press_sequentially("Will it rain")
    assert page.input_value("#id_slug") == "will-it-rain"
    page.click("#calendarlink0")
    assert page.is_visible("#calendarbox0")

    visit("/api/docs/")
    # Swagger UI draws the operations from the schema and opens one.
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body", timeout=15_000)
    assert complaints == []
