"""A private round with a team: invite link, membership, forecasts, standings."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.e2e.steps import PASSWORD, log_in
from tests.factories import QuestionFactory, StaffFactory, UserFactory

FIRST, SECOND = "Will R2 ship by June?", "Will R2 be multimodal?"


def staff_api(page, token):
    """Return a function that sends staff's JSON requests to the live server."""

    def post(path, data=None):
        headers = {"Authorization": f"Token {token.key}"}
        return page.request.post(path, data=data, headers=headers)

    return post


def test_private_round_invite_join_forecast_resolve_and_leaderboard(page, screenshot):
    organiser = StaffFactory(username="organiser")
    post = staff_api(page, Token.objects.create(user=organiser))
    QuestionFactory(slug="r2-by-june", title=FIRST)
    QuestionFactory(slug="r2-multimodal", title=SECOND)
    now = timezone.now()
    created = post(
        "/api/tournaments/",
        {
            "slug": "team-r2",
            "title": "Team R2 round",
            "description": "Two questions on **DeepSeek R2**.",
            "start_time": (now - timedelta(days=1)).isoformat(),
            "end_time": (now + timedelta(days=60)).isoformat(),
            "questions": ["r2-by-june", "r2-multimodal"],
            "visibility": "private",
        },
    )
    assert created.status == 201, created.text()

    log_in(page, organiser)
    page.goto("/tournaments/team-r2/")
    invite = page.text_content("#invite-link").strip()
    assert invite.endswith(
        f"/tournaments/team-r2/join/{created.json()['invite_token']}/"
    )
    page.click("#logout")

    # Dana is not a member yet: nothing of the round exists for her.
    dana = UserFactory(username="dana")
    log_in(page, dana)
    assert page.goto("/tournaments/team-r2/").status == 404
    assert page.goto("/questions/r2-by-june/").status == 404
    assert page.request.get("/api/tournaments/team-r2/").status == 404
    assert page.request.get("/api/questions/r2-multimodal/").status == 404
    page.goto("/")
    assert FIRST not in page.text_content("#questions")
    page.goto("/tournaments/")
    assert "Team R2 round" not in page.text_content("#tournaments")
    page.click("#logout")

    # She follows the link, logs in on the way, and joins.
    page.goto(invite)
    page.fill("#id_username", "dana")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.click("#join-tournament")
    assert "You joined Team R2 round." in page.text_content(".messages")
    assert page.text_content("#member-note") == "you are a member"
    screenshot("tournament-joined")

    page.click(f"#tournament-questions >> text={FIRST}")
    page.fill("#id_probability", "80")
    page.click("#submit-forecast")
    assert "Forecast saved as entry #1." in page.text_content(".messages")

    # Staff resolve both questions; Dana forecast one of them.
    assert post("/api/questions/r2-by-june/resolve/", {"outcome": "Yes"}).ok
    assert post("/api/questions/r2-multimodal/resolve/", {"outcome": "No"}).ok

    page.goto("/questions/r2-by-june/")
    brier = page.text_content("#score-time-averaged")
    page.goto("/tournaments/team-r2/")
    row = page.locator('#tournament-leaderboard tr[data-username="dana"]')
    assert row.locator("td.coverage").inner_text() == "50%"  # 1 of 2 resolved
    assert row.locator("td.questions").inner_text() == "1"
    assert row.locator("td.brier").inner_text() == brier
    assert page.text_content("#min-coverage") == "50%"
    screenshot("tournament-leaderboard")


def test_the_leaderboard_options_work_without_javascript(page_without_js):
    page = page_without_js
    organiser = StaffFactory()
    post = staff_api(page, Token.objects.create(user=organiser))
    now = timezone.now()
    created = post(
        "/api/tournaments/",
        {
            "slug": "open-round",
            "title": "Open round",
            "start_time": now.isoformat(),
            "end_time": (now + timedelta(days=9)).isoformat(),
            "visibility": "public",
        },
    )
    assert created.status == 201
    page.goto("/tournaments/open-round/")
    page.select_option("#id_by", "points")
    page.fill("#id_min_coverage", "0.25")
    page.click("#standings button[type=submit]")
    assert "by=points" in page.url and "min_coverage=0.25" in page.url
    assert page.text_content("#min-coverage") == "25%"
    assert page.input_value("#id_min_coverage") == "0.25"
    # The browser refuses 3 in the field itself (max="1"); typed in the address:
    assert page.goto("/tournaments/open-round/?min_coverage=3").status == 400
    assert "Enter a fraction from 0 to 1" in page.text_content(".field.has-error")
