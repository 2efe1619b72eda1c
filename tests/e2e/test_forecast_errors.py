"""A forecast out of range is refused next to the box, keeping what was typed."""

import pytest

from forecasts.models import Entry
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, UserFactory

BOUNDS = "Enter a percentage from 0.1 to 99.9."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150", BOUNDS),
        ("0", BOUNDS),
        ("72.125", "Use at most 2 decimal places, e.g. 72.25."),
    ],
)
def test_bad_probability_shows_error_next_to_the_box(page, screenshot, typed, message):
    question = QuestionFactory()
    log_in(page, UserFactory())
    page.goto(f"/questions/{question.slug}/")
    page.fill("#id_probability", typed)
    page.fill("#id_rationale", "Gut feeling.")
    page.click("#submit-forecast")

    field = page.locator(".field.has-error", has=page.locator("#id_probability"))
    assert field.locator("ul.errorlist").inner_text() == message
    assert page.input_value("#id_probability") == typed
    assert page.input_value("#id_rationale") == "Gut feeling."
    assert page.locator("#ledger-table").count() == 0
    assert not Entry.objects.exists()
    if typed == "150":
        screenshot("forecast-form-error")
