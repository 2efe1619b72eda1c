"""Every page at a desktop and a phone width: nothing wider than the screen, and
no serious or critical accessibility violation (axe-core, run in the page).

Screenshots land in test-artifacts/pages/ for a person to look at.
"""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from forecasts.services import resolve_question, submit_forecast
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.steps import log_in
from tests.factories import QuestionFactory, StaffFactory, UserFactory
from tournaments.services import create_tournament

WIDTHS = {"desktop": 1280, "phone": 390}
SERIOUS = {"serious", "critical"}


@pytest.fixture
def site(db, django_capture_on_commit_callbacks):
    """A small site: open, closed and resolved questions of both kinds."""
    now = timezone.now()
    staff = StaffFactory(username="staffer")
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    binary = QuestionFactory(
        title="Will DeepSeek release R2 with a context window longer than 128K?",
        tags=["context"],
    )
    multiple = QuestionFactory(
        title="When will DeepSeek release R2?",
        kind="multiple_choice",
        options=["Before May 2025", "May 2025", "June–December 2025", "Later"],
        ordered=True,
        tags=["release"],
    )
    closed = QuestionFactory(
        title="Will R2 accept image input at launch?",
        open_time=now - timedelta(days=30),
        close_time=now - timedelta(days=1),
    )
    resolved = QuestionFactory(title="Will R2 cost less than R1 per output token?")
    for user, p, mc in [(ann, 0.7, [0.1, 0.2, 0.5, 0.2]), (bob, 0.35, None)]:
        submit_forecast(question=binary, user=user, probability=p, rationale="Why.")
        submit_forecast(question=resolved, user=user, probability=p)
        if mc:
            submit_forecast(question=multiple, user=user, probabilities=mc)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=resolved, user=staff, outcome=1, note="Priced.")
    create_tournament(
        slug="spring-round",
        title="Spring round",
        start_time=now - timedelta(days=1),
        end_time=now + timedelta(days=60),
        visibility="public",
        questions=[binary, multiple, resolved],
        description="Our team's **first** round.",
    )
    return {
        "home": "/",
        "question-binary": f"/questions/{binary.slug}/",
        "question-multiple-choice": f"/questions/{multiple.slug}/",
        "question-closed": f"/questions/{closed.slug}/",
        "question-resolved": f"/questions/{resolved.slug}/",
        "profile-own": "/users/ann/",
        "profile-other": "/users/bob/",
        "leaderboard": "/leaderboard/",
        "calibration": "/calibration/",
        "scoring": "/scoring/",
        "email-settings": "/notifications/settings/",
        "tournaments": "/tournaments/",
        "tournament": "/tournaments/spring-round/",
    }


ANONYMOUS_PAGES = {"signup": "/accounts/signup/", "login": "/accounts/login/"}


def open_page(browser, live_server, width: int):
    # axe-core is injected as a script: a strict CSP would refuse it.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        timezone_id="Europe/Berlin",
        locale="en-GB",
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def check(page, name: str, width_name: str, axe: Axe) -> list[str]:
    """Return what is wrong with the page now shown, after a screenshot."""
    width = WIDTHS[width_name]
    page.wait_for_load_state("load")
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{width_name}.png"), full_page=True)
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{name} at {width} px is {scroll} px wide")
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            problems.append(
                f"{name} at {width} px: {violation['id']} ({violation['impact']}) "
                f"{violation['help']}: {targets[:3]}"
            )
    return problems


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_every_page_fits_the_screen_and_passes_axe(
    browser, live_server, site, width_name
):
    axe = Axe()
    problems = []
    context, page = open_page(browser, live_server, WIDTHS[width_name])
    try:
        for name, path in ANONYMOUS_PAGES.items():
            page.goto(path)
            problems += check(page, name, width_name, axe)
        log_in(page, UserFactory._meta.model.objects.get(username="ann"))
        for name, path in site.items():
            page.goto(path)
            problems += check(page, name, width_name, axe)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
