"""A user proposes a question on the site; staff accept it; it is published
with its proposer credited."""

from datetime import timedelta

from django.utils import timezone

from forecasts.models import Question
from tests.e2e.steps import log_in
from tests.factories import StaffFactory, UserFactory


def test_a_proposed_question_is_accepted_and_credits_its_author(page, screenshot):
    dana = UserFactory(username="dana")
    log_in(page, dana)
    page.click("#nav-propose")
    page.fill("#id_title", "Will the town open a second library by 2027?")
    page.fill("#id_body", "The council voted a budget in June.")
    page.fill("#id_resolution_criteria", "Yes if it opens to the public.")
    close = timezone.now() + timedelta(days=90)
    page.fill("#id_close_time", close.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_tags", "local")
    page.click("#proposal-submit")
    assert "Proposal sent to the staff." in page.text_content(".messages")
    assert page.text_content("#proposal-title") == (
        "Will the town open a second library by 2027?"
    )
    assert not Question.objects.exists()
    screenshot("proposal-sent")

    page.click("#logout")
    log_in(page, StaffFactory())
    page.goto("/proposals/")
    page.click("text=Will the town open a second library by 2027?")
    page.click("#accept-proposal")

    assert "the question is published" in page.text_content(".messages")
    assert page.text_content("#question-title") == (
        "Will the town open a second library by 2027?"
    )
    assert page.text_content("#proposed-by") == "Proposed by dana"
    assert page.text_content(".q-meta .status").strip().lower() == "open"
    screenshot("proposal-published")

    page.click("#logout")
    page.goto("/")
    page.click("text=Will the town open a second library by 2027?")
    assert page.text_content("#proposed-by") == "Proposed by dana"
