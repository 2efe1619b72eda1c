"""A user proposes a question on the site; staff accept it; it is published
with its proposer credited."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from forecasts.models import Question
from proposals.models import Proposal
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


def test_a_date_question_is_proposed_with_javascript_off(page_without_js):
    page = page_without_js
    log_in(page, UserFactory(username="erin"))
    page.goto("/proposals/new/")
    page.fill("#id_title", "When will the town's second library open?")
    page.fill("#id_body", "The council voted a budget in June.")
    page.fill("#id_resolution_criteria", "The day it opens to the public.")
    page.select_option("#id_kind", "date")
    page.fill("#id_date_min", "2027-01-01T00:00")
    page.fill("#id_date_max", "2029-06-30T12:30")
    page.check("#id_open_upper_bound")
    close = timezone.now() + timedelta(days=90)
    page.fill("#id_close_time", close.strftime("%Y-%m-%dT%H:%M"))
    page.click("#proposal-submit")

    assert page.text_content("#proposal-range").startswith("2027-01-01 – 2029-06-30")
    proposal = Proposal.objects.get()
    assert proposal.range_min == datetime(2027, 1, 1, tzinfo=UTC).timestamp()
    assert proposal.range_max == datetime(2029, 6, 30, 12, 30, tzinfo=UTC).timestamp()
    assert (proposal.kind, proposal.open_upper_bound) == ("date", True)
