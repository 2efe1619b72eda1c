"""The slider and the number box of a binary forecast follow each other."""

from forecasts.models import Entry
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, UserFactory


def test_slider_and_box_stay_in_sync_and_the_slider_value_is_saved(page):
    question = QuestionFactory()
    user = UserFactory()
    log_in(page, user)
    page.goto(f"/questions/{question.slug}/")
    slider, box = page.locator("#probability-slider"), page.locator("#id_probability")
    assert slider.is_visible()

    box.fill("72")
    assert slider.input_value() == "72"
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    assert box.input_value() == "71.5"
    page.keyboard.press("End")
    assert box.input_value() == "99.9"
    page.keyboard.press("Home")
    assert box.input_value() == "0.1"
    box.fill("33.3")
    assert slider.input_value() == "33.3"

    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")
    assert Entry.objects.get(user=user).probabilities_bp == [6670, 3330]
    # The page comes back with the standing forecast in both controls.
    assert box.input_value() == "33.3"
    assert slider.input_value() == "33.3"


def test_without_javascript_only_the_number_box_shows(page_without_js):
    question = QuestionFactory()
    log_in(page_without_js, UserFactory())
    page_without_js.goto(f"/questions/{question.slug}/")
    assert page_without_js.locator("#probability-slider").is_hidden()
    assert page_without_js.locator("#id_probability").is_visible()


def test_box_and_slider_agree_from_the_start_and_saving_at_once_works(page):
    question = QuestionFactory()
    user = UserFactory()
    log_in(page, user)
    page.goto(f"/questions/{question.slug}/")
    assert page.locator("#id_probability").input_value() == "50"
    assert page.locator("#probability-slider").input_value() == "50"

    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")
    assert Entry.objects.get(user=user).probabilities_bp == [5000, 5000]


def test_odds_typed_move_the_box_and_slider_and_are_saved_in_percent(page):
    question = QuestionFactory()
    user = UserFactory()
    log_in(page, user)
    page.goto(f"/questions/{question.slug}/")
    page.fill("#id_odds", "1 in 8")
    # 1/8 = 12.5%.
    assert page.locator("#id_probability").input_value() == "12.5"
    assert page.locator("#probability-slider").input_value() == "12.5"

    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")
    assert Entry.objects.get(user=user).probabilities_bp == [8750, 1250]
    assert page.locator("#id_probability").input_value() == "12.5"
