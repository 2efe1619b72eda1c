"""A new visitor signs up, forecasts a binary question and changes their mind."""

from accounts.models import User
from forecasts.models import Entry
from tests.e2e.steps import loaded_image
from tests.factories import QuestionFactory


def test_sign_up_forecast_then_update_shows_both_entries(page, screenshot):
    question = QuestionFactory(title="Will DeepSeek release R2 by May?")
    page.goto(f"/questions/{question.slug}/")
    page.click("#nav-signup")
    page.fill("#id_username", "newcomer")
    page.fill("#id_email", "newcomer@example.com")
    page.fill("#id_password1", "a long new passphrase 7")
    page.fill("#id_password2", "a long new passphrase 7")
    page.click("#signup-submit")
    # Back on the question, logged in, with an empty ledger.
    assert page.text_content("#question-title") == question.title
    assert page.is_visible("#logout")

    page.fill("#id_probability", "72")
    page.fill("#id_rationale", "Reuters says early May.")
    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")

    page.fill("#id_probability", "65")
    page.click("#submit-forecast")
    assert "Forecast saved as entry #2." in page.text_content(".messages")

    rows = page.locator("#ledger-table tbody tr")
    assert rows.count() == 2
    # Newest first: the update above the original.
    assert rows.nth(0).locator("td.forecast").inner_text() == "65%"
    assert rows.nth(1).locator("td.forecast").inner_text() == "72%"
    assert "Reuters says early May." in rows.nth(1).inner_text()
    assert page.input_value("#id_probability") == "65"
    assert page.text_content("#community-value") == "65%"
    chart = loaded_image(page, "#community-chart")
    assert page.eval_on_selector("#community-chart", "img => img.naturalWidth") > 0
    assert chart.headers["content-type"] == "image/svg+xml"
    screenshot("question-page")

    page.click("text=← All questions")
    row = page.locator(f'#questions tr[data-slug="{question.slug}"]')
    assert row.locator("td.own").inner_text() == "65%"
    assert row.locator("td.community").inner_text().startswith("65%")
    screenshot("questions")

    user = User.objects.get(username="newcomer")
    stored = Entry.objects.filter(user=user).order_by("sequence")
    assert [e.probabilities_bp for e in stored] == [[2800, 7200], [3500, 6500]]
