"""A multiple-choice forecast typed in percentages that do not add up to 100."""

import pytest

from forecasts.models import Entry
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, UserFactory

# 50 + 40 + 30 = 120. Scaled by 100/120 and rounded down to hundredths:
# 41.66 + 33.33 + 25 = 99.99; the hundredth left over goes to the largest
# remainder (41.666…).
TYPED = ["50", "40", "30"]
NORMALISED = ["41.67", "33.33", "25"]
STORED_BP = [4167, 3333, 2500]


@pytest.fixture
def question():
    return QuestionFactory(
        title="How many parameters will R2 have?",
        kind="multiple_choice",
        options=["Under 500B", "500B to 1T", "Over 1T"],
        ordered=True,
    )


def type_percentages(page, values):
    for index, value in enumerate(values):
        page.fill(f"#id_option_{index}", value)


def test_normalise_rescales_to_100_and_saves_those_numbers(page, question):
    user = UserFactory()
    log_in(page, user)
    page.goto(f"/questions/{question.slug}/")
    type_percentages(page, TYPED)
    assert page.text_content("#total") == "120"
    assert "off" in page.get_attribute("#total", "class")

    page.click("#normalise")
    values = [page.input_value(f"#id_option_{i}") for i in range(3)]
    assert values == NORMALISED
    assert page.text_content("#total") == "100"
    assert "off" not in page.get_attribute("#total", "class")
    assert not Entry.objects.exists()  # normalising only changes the boxes

    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")
    assert Entry.objects.get(user=user).probabilities_bp == STORED_BP
    ledger = page.locator("#ledger-table td.forecast").inner_text()
    assert ledger.split("\n") == [
        "Under 500B: 41.67%",
        "500B to 1T: 33.33%",
        "Over 1T: 25%",
    ]


def test_normalise_works_without_javascript(page_without_js, question):
    page = page_without_js
    user = UserFactory()
    log_in(page, user)
    page.goto(f"/questions/{question.slug}/")
    type_percentages(page, TYPED)
    page.click("#normalise")  # a round trip to the server
    values = [page.input_value(f"#id_option_{i}") for i in range(3)]
    assert values == NORMALISED
    assert page.text_content("#total") == "100"
    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")
    assert Entry.objects.get(user=user).probabilities_bp == STORED_BP


# 40 + 35 + 15 + 5 = 95; shares 42.105…, 36.842…, 15.789…, 5.263… round down
# to 99.98; the two hundredths left go to the largest remainders, 15.789… and
# 42.105…: 42.11 + 36.84 + 15.79 + 5.26 = 100 (largest-remainder rounding).
@pytest.mark.parametrize("javascript", [True, False])
def test_normalise_uses_largest_remainder_rounding(page, page_without_js, javascript):
    browser_page = page if javascript else page_without_js
    question = QuestionFactory(
        kind="multiple_choice", options=["Q2 2025", "Q3 2025", "Q4 2025", "Later"]
    )
    log_in(browser_page, UserFactory())
    browser_page.goto(f"/questions/{question.slug}/")
    type_percentages(browser_page, ["40", "35", "15", "5"])
    browser_page.click("#normalise")
    values = [browser_page.input_value(f"#id_option_{i}") for i in range(4)]
    assert values == ["42.11", "36.84", "15.79", "5.26"]
    assert browser_page.text_content("#total") == "100"


def test_percentages_not_adding_up_are_refused(page, question):
    user = UserFactory()
    log_in(page, user)
    page.goto(f"/questions/{question.slug}/")
    type_percentages(page, TYPED)
    page.click("#submit-forecast")
    error = page.locator("#forecast-form ul.errorlist")
    # In percent, with the total; the boxes keep what was typed.
    assert "add up to 120%; they must add up to 100%" in error.inner_text()
    assert [page.input_value(f"#id_option_{i}") for i in range(3)] == TYPED
    assert not Entry.objects.exists()
