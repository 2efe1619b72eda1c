"""The distribution editor on a numeric question's page, in Chromium.

A forecaster drags the sliders (or types percentiles, with JavaScript off),
saves, and sees the entry in the ledger and the community move; staff resolve
and the forecaster sees the scores.
"""

import json
from datetime import datetime, timedelta

import numpy as np
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from forecasts.models import Entry, Question
from forecasts.scoring.continuous import cdf_quantiles, continuous_brier
from forecasts.scoring.continuous_inputs import cdf_from_components
from forecasts.services import submit_forecast
from tests.e2e.steps import log_in
from tests.e2e.test_content_security_policy import watched  # noqa: F401
from tests.e2e.test_pages_at_widths import WIDTHS, check, open_page
from tests.factories import QuestionFactory, StaffFactory, UserFactory

SEED = "deepseek-r2-context-window-tokens"
# Bob's belief: a median of 128Ki tokens, 80% between 64Ki and 1Mi.
BOB = [[0.1, 65536], [0.5, 131072], [0.9, 1048576]]


@pytest.fixture
def question(db):
    """The seeded R2 context-window question (log scale, both bounds open)."""
    call_command("load_seeds", verbosity=0)
    return Question.objects.get(slug=SEED)


@pytest.fixture
def bob(question):
    bob = UserFactory(username="bob")
    submit_forecast(question=question, user=bob, quantiles=BOB)
    return bob


def stored_cdf(entry) -> np.ndarray:
    return np.asarray(entry.probabilities_bp, dtype=float) / 1e6


def move_centre(page, key: str, presses: int) -> None:
    page.locator("#component-0-center").focus()
    for _ in range(presses):
        page.keyboard.press(key)


def drag(page, selector: str, fraction: float) -> None:
    """Drag a range input's thumb with the mouse to this fraction of its width."""
    slider = page.locator(selector)
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * float(slider.input_value()) / 100, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * fraction, y, steps=8)
    page.mouse.up()


def test_dragging_a_slider_saves_the_drawn_distribution_and_moves_the_community(
    page, question, bob
):
    ann = UserFactory(username="ann")
    log_in(page, ann)
    page.goto(f"/questions/{question.slug}/")
    assert page.locator("#distribution-editor").is_visible()
    move_centre(page, "ArrowRight", 60)
    spread = json.loads(page.input_value("input[name=components]"))[0]["spread"]
    drag(page, "#component-0-spread", 0.3)
    components = json.loads(page.input_value("input[name=components]"))
    assert components[0]["spread"] < spread
    summary = page.text_content("#dist-summary")

    page.click("#submit-forecast")
    # Entries are numbered per question: Bob's is #1.
    assert "Forecast saved as entry #2." in page.text_content(".messages")
    entry = Entry.objects.get(user=ann)
    assert entry.input == {"components": components}
    # What the editor drew is what the server stored.
    axis = question.axis()
    assert np.allclose(
        stored_cdf(entry), cdf_from_components(components, axis) / 1e6, atol=1e-6
    )
    assert page.locator("#ledger-table tbody tr").count() == 1
    assert "Given as 1 component" in page.text_content("#ledger-table")
    # The page comes back with the same forecast in the editor.
    assert json.loads(page.input_value("input[name=components]")) == components
    assert page.text_content("#dist-summary") == summary

    community = page.text_content("#community-value")
    community_curve = page.get_attribute("#dist-community", "d")
    move_centre(page, "Home", 1)
    page.click("#submit-forecast")
    assert "Forecast saved as entry #3." in page.text_content(".messages")
    assert page.locator("#ledger-table tbody tr").count() == 2
    assert page.text_content("#community-value") != community
    assert page.get_attribute("#dist-community", "d") != community_curve


def test_percentiles_typed_without_javascript_are_saved(page_without_js, question):
    page = page_without_js
    ann = UserFactory(username="ann")
    log_in(page, ann)
    page.goto(f"/questions/{question.slug}/")
    assert page.locator("#distribution-editor").is_hidden()
    page.fill("input[name=p10]", "65536")
    page.fill("input[name=p50]", "262144")
    page.fill("input[name=p90]", "2097152")
    page.click("#submit-forecast")

    assert "Forecast saved as entry #1." in page.text_content(".messages")
    entry = Entry.objects.get(user=ann)
    assert entry.input == {
        "quantiles": [[0.1, 65536.0], [0.5, 262144.0], [0.9, 2097152.0]]
    }
    # The stored CDF passes within 0.0005 of each point: its quantiles are there.
    _, x = cdf_quantiles(stored_cdf(entry), question.axis(), (0.1, 0.5, 0.9))
    assert x == pytest.approx([65536, 262144, 2097152], rel=0.02)
    assert float(page.input_value("input[name=p50]")) == 262144


def test_typing_percentiles_with_javascript_saves_them_not_the_sliders(page, question):
    ann = UserFactory(username="ann")
    log_in(page, ann)
    page.goto(f"/questions/{question.slug}/")
    page.fill("input[name=p10]", "100000")
    page.fill("input[name=p50]", "200000")
    page.fill("input[name=p90]", "1000000")
    assert page.text_content("#dist-summary") == (
        "Median 200K tokens; 80% interval 100K to 1M tokens."
    )
    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")
    assert Entry.objects.get(user=ann).input == {
        "quantiles": [[0.1, 100000.0], [0.5, 200000.0], [0.9, 1000000.0]]
    }


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_question_page_fits_the_screen_and_passes_axe(
    browser, live_server, question, bob, width_name
):
    ann = UserFactory(username="ann")
    submit_forecast(
        question=question,
        user=ann,
        components=[{"center": 262144, "spread": 0.08, "weight": 1}],
    )
    context, page = open_page(browser, live_server, WIDTHS[width_name])
    try:
        log_in(page, ann)
        page.goto(f"/questions/{question.slug}/")
        page.wait_for_selector("#dist-community")
        page.click("#dist-add")
        problems = check(page, "question-numeric", width_name, Axe())
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_staff_resolve_with_a_value_and_the_forecaster_sees_brier_twice_crps(
    page, monkeypatch
):
    now = timezone.now()
    question = QuestionFactory(
        title="What will R2's maximum context window be at launch?",
        kind="numeric",
        scale="log",
        range_min=32768,
        range_max=16777216,
        open_lower_bound=True,
        open_upper_bound=True,
        unit="tokens",
        open_time=now - timedelta(days=20),
        close_time=now - timedelta(days=1),
    )
    ann = UserFactory(username="ann")
    with monkeypatch.context() as patch:
        moment = now - timedelta(days=10)
        patch.setattr("django.utils.timezone.now", lambda: moment)
        entry = submit_forecast(question=question, user=ann, quantiles=BOB)

    log_in(page, StaffFactory())
    page.goto(f"/questions/{question.slug}/")
    page.check("#resolve-panel #id_outcome_0")  # "The value below"
    page.fill("#resolve-panel #id_value", "131072")
    page.fill("#resolve-panel #id_note", "128K tokens, per the release notes.")
    page.click("#resolve-panel #review-resolution")
    page.click("#confirm-resolution")
    assert "Resolved (version 1)." in page.text_content(".messages")

    page.click("#logout")
    log_in(page, ann)
    page.goto(f"/questions/{question.slug}/")
    # u_y = ln(131072/32768)/ln(16777216/32768) = ln 4/ln 512 = 2/9, and
    # brier = 2·CRPS = 2·∫₀¹ (F(u) − 1{u ≥ 2/9})² du over Ann's stored CDF.
    crps = continuous_brier(stored_cdf(entry), 2 / 9) / 2
    assert 0 < crps < 0.1
    assert float(page.text_content("#score-crps")) == pytest.approx(crps, abs=5e-4)
    brier = float(page.text_content("#score-brier"))
    assert brier == pytest.approx(2 * crps, abs=5e-4)
    assert page.locator("#distribution-editor").count() == 0


def test_a_date_question_saves_the_slider_centre_as_an_iso_datetime(page):
    question = QuestionFactory(
        title="When will DeepSeek first release R2?",
        kind="date",
        # 2025-02-26T00:00Z to 2028-01-01T00:00Z, open after.
        range_min=1740528000,
        range_max=1830297600,
        open_upper_bound=True,
        unit="",
    )
    ann = UserFactory(username="ann")
    log_in(page, ann)
    page.goto(f"/questions/{question.slug}/")
    assert page.get_attribute("input[name=p50]", "type") == "date"
    move_centre(page, "ArrowLeft", 100)
    components = json.loads(page.input_value("input[name=components]"))
    assert components[0]["center"].endswith("Z")
    p50 = page.input_value("input[name=p50]")
    summary = page.text_content("#dist-summary")
    page.click("#submit-forecast")

    assert "Forecast saved as entry #1." in page.text_content(".messages")
    entry = Entry.objects.get(user=ann)
    assert entry.input == {"components": components}
    center = datetime.fromisoformat(components[0]["center"]).timestamp()
    expected = cdf_from_components(
        [{**components[0], "center": center}], question.axis()
    )
    assert np.array_equal(entry.probabilities_bp, expected)
    # The page comes back with the same median in the box and the summary.
    assert page.input_value("input[name=p50]") == p50
    assert page.text_content("#dist-summary") == summary


def test_percentiles_out_of_order_get_an_error_and_are_kept(page, question):
    log_in(page, UserFactory(username="ann"))
    page.goto(f"/questions/{question.slug}/")
    page.fill("input[name=p10]", "500000")
    page.fill("input[name=p50]", "200000")
    page.fill("input[name=p90]", "1000000")
    assert page.text_content("#dist-summary") == (
        "Enter three increasing values inside the range to see the distribution."
    )
    page.click("#submit-forecast")

    assert not Entry.objects.exists()
    # quantiles[1]'s x must be above quantiles[0]'s: said beside the 50th box.
    error = page.locator(".field.has-error", has=page.locator("input[name=p50]"))
    assert "above" in error.locator(".errorlist").text_content()
    kept = [page.input_value(f"input[name={n}]") for n in ("p10", "p50", "p90")]
    assert kept == ["500000", "200000", "1000000"]
    # The editor leaves the kept boxes in charge.
    assert page.input_value("input[name=components]") == ""


def test_the_editor_runs_under_the_content_security_policy(
    watched,  # noqa: F811 (the fixture imported above)
    question,
    bob,
):
    page, visit, complaints = watched
    log_in(page, UserFactory(username="ann"))
    visit(f"/questions/{question.slug}/")
    move_centre(page, "ArrowRight", 5)
    page.click("#dist-add")
    assert page.locator(".dist-component").count() == 2
    assert complaints == []
