"""Proposing from the page, staff reviewing there and in the admin, and the
author's profile telling them the answer."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from forecasts.models import Question
from proposals.models import Proposal
from proposals.services import decline_proposal, propose_question
from tests.factories import UserFactory


def form_data(**overrides) -> dict:
    close = timezone.now() + timedelta(days=30)
    data = {
        "title": "Will the bridge reopen by May?",
        "body": "It closed in March.",
        "resolution_criteria": "Yes if cars cross it before 1 May.",
        "kind": "binary",
        "close_time": close.strftime("%Y-%m-%dT%H:%M"),
        "tags": "local, transport",
    }
    return {**data, **overrides}


def a_proposal(author, **overrides) -> Proposal:
    data = form_data(**overrides)
    return propose_question(
        author=author,
        title=data["title"],
        body=data["body"],
        resolution_criteria=data["resolution_criteria"],
        close_time=timezone.now() + timedelta(days=30),
        slug="",
    )


def test_the_form_asks_visitors_to_log_in(client, db):
    response = client.get("/proposals/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_proposes_from_the_page(client, user):
    client.force_login(user)
    response = client.post("/proposals/new/", form_data())
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.slug == "will-the-bridge-reopen-by-may"
    assert proposal.tags == ["local", "transport"]
    assert proposal.author == user
    assert "Will the bridge reopen" in client.get(response["Location"]).content.decode()


def test_the_close_time_is_read_in_the_zone_the_label_names(client, user):
    # The tz cookie (set by site.js) names the visitor's zone: 12:00 in Paris
    # in July is 10:00 UTC (CEST is UTC+2).
    client.force_login(user)
    client.cookies["tz"] = "Europe/Paris"
    page = client.get("/proposals/new/").content.decode()
    assert "Close time (Europe/Paris)" in page
    year = timezone.now().year + 1
    client.post("/proposals/new/", form_data(close_time=f"{year}-07-01T12:00"))
    assert Proposal.objects.get().close_time == datetime(year, 7, 1, 10, 0, tzinfo=UTC)


def test_a_bad_proposal_is_refused_next_to_the_field(client, user):
    client.force_login(user)
    response = client.post(
        "/proposals/new/", form_data(kind="multiple_choice", options="Only one")
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('name="options"') :]
    assert "Give at least two distinct, non-empty labels." in field[:600]
    assert not Proposal.objects.exists()


def test_the_page_form_is_throttled(client, user, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "proposal": "1/day"},
    }
    client.force_login(user)
    assert client.post("/proposals/new/", form_data()).status_code == 302
    refused = client.post("/proposals/new/", form_data(title="Another one"))
    assert refused.status_code == 429
    assert Proposal.objects.count() == 1


def test_only_the_author_and_staff_see_a_proposal_page(client, user, staff):
    proposal = a_proposal(user)
    client.force_login(UserFactory())
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404
    assert proposal.title not in client.get("/proposals/").content.decode()
    client.force_login(user)
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 200
    assert (
        'id="accept-proposal"'
        not in client.get(f"/proposals/{proposal.pk}/").content.decode()
    )
    client.force_login(staff)
    assert (
        'id="accept-proposal"'
        in client.get(f"/proposals/{proposal.pk}/").content.decode()
    )


def test_staff_accept_on_the_page_and_land_on_the_question(client, user, staff):
    proposal = a_proposal(user)
    client.force_login(staff)
    response = client.post(f"/proposals/{proposal.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"] == "/questions/will-the-bridge-reopen-by-may/"
    html = client.get(response["Location"]).content.decode()
    assert 'id="proposed-by"' in html and user.username in html


def test_a_user_cannot_accept_from_the_page(client, user):
    proposal = a_proposal(user)
    client.force_login(user)
    assert client.post(f"/proposals/{proposal.pk}/accept/").status_code == 403
    assert not Question.objects.exists()


def test_declining_on_the_page_needs_a_reason(client, user, staff):
    proposal = a_proposal(user)
    client.force_login(staff)
    refused = client.post(f"/proposals/{proposal.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400
    assert Proposal.objects.get().status == "pending"
    client.post(f"/proposals/{proposal.pk}/decline/", {"reason": "Too vague."})
    assert Proposal.objects.get().decline_reason == "Too vague."


def test_the_author_reads_the_reason_on_their_profile_and_nobody_else(
    client, user, staff
):
    proposal = a_proposal(user)
    decline_proposal(proposal=proposal, user=staff, reason="Asked last month.")
    client.force_login(user)
    own = client.get(f"/users/{user.username}/").content.decode()
    assert 'id="proposals"' in own and "Asked last month." in own
    client.force_login(UserFactory())
    other = client.get(f"/users/{user.username}/").content.decode()
    assert "Asked last month." not in other and proposal.title not in other


def test_staff_edit_a_pending_proposal_in_the_admin(client, user, staff):
    staff.is_superuser = True
    staff.save()
    proposal = a_proposal(user)
    client.force_login(staff)
    url = f"/admin/proposals/proposal/{proposal.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "slug": proposal.slug,
        "title": "Will the bridge reopen to cars by May?",
        "body": proposal.body,
        "resolution_criteria": proposal.resolution_criteria,
        "tags": "[]",
        "kind": "binary",
        "scale": "linear",
        "options": '["No", "Maybe"]',
        "close_time_0": "2030-01-01",
        "close_time_1": "00:00:00",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert Proposal.objects.get().options == ["No", "Yes"]
    saved = client.post(url, {**data, "options": '["No", "Yes"]'})
    assert saved.status_code == 302
    assert Proposal.objects.get().title == "Will the bridge reopen to cars by May?"


def test_the_proposal_list_page_runs_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    for i in range(12):
        a_proposal(UserFactory(), title=f"Question {i}?")
    client.force_login(staff)
    # session, user, the proposals with their authors.
    with django_assert_max_num_queries(3):
        response = client.get("/proposals/")
    assert response.content.decode().count("/proposals/") >= 12
