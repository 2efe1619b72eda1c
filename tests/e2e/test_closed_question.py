"""A closed question shows why it takes no forecast, instead of the form."""

from datetime import timedelta

from django.utils import timezone

from forecasts.models import Entry, Question
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, UserFactory


def test_closed_question_refuses_forecasts_and_says_why(page):
    now = timezone.now()
    question = QuestionFactory(
        open_time=now - timedelta(days=20), close_time=now - timedelta(days=1)
    )
    log_in(page, UserFactory())
    page.goto(f"/questions/{question.slug}/")
    assert page.text_content("#forecast-refusal") == (
        "This question has closed; it accepts no more forecasts."
    )
    assert (
        page.locator("#forecast-form, #id_probability, #submit-forecast").count() == 0
    )
    assert "Closed, awaiting resolution" in page.text_content(".q-meta")
    assert not Entry.objects.exists()


def test_form_left_open_past_the_close_is_refused(page):
    question = QuestionFactory()
    log_in(page, UserFactory())
    page.goto(f"/questions/{question.slug}/")
    page.fill("#id_probability", "40")
    # The question closes while the page is open in the browser.
    past = timezone.now() - timedelta(minutes=1)
    Question.objects.filter(pk=question.pk).update(close_time=past)
    page.click("#submit-forecast")
    assert page.text_content("#forecast-refusal") == (
        "This question has closed; it accepts no more forecasts."
    )
    assert not Entry.objects.exists()
