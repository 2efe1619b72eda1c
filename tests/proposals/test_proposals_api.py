"""Proposals through the API: checked like new questions, private, accepted or
declined by staff."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from forecasts.models import Question
from proposals.models import Proposal
from tests.factories import QuestionFactory, UserFactory
from tests.proposals.conftest import client_for

pytestmark = pytest.mark.core

LIST = "/api/proposals/"


def fields(**overrides) -> dict:
    close = timezone.now() + timedelta(days=60)
    data = {
        "slug": "fusion-2030",
        "title": "Will a fusion plant sell power by 2030?",
        "body": "Background.",
        "resolution_criteria": "Yes if a plant sells power to the grid.",
        "close_time": close.isoformat(),
        "tags": ["energy", "energy"],
        "source_url": "https://example.org/fusion",
    }
    return {**data, **overrides}


def propose(client, **overrides):
    return client.post(LIST, fields(**overrides), format="json")


def test_a_user_proposes_a_question_and_reads_it_back(user, user_api):
    response = propose(user_api)
    assert response.status_code == 201
    proposal = response.json()
    assert proposal["username"] == user.username
    assert proposal["status"] == "pending"
    assert proposal["tags"] == ["energy"]
    assert proposal["options"] == ["No", "Yes"]
    assert proposal["question"] is None
    assert not Question.objects.exists()
    assert user_api.get(f"{LIST}{proposal['id']}/").json()["title"] == (
        "Will a fusion plant sell power by 2030?"
    )


@pytest.mark.parametrize(
    "overrides, field",
    [
        (
            {"open_time": "2030-01-01T00:00:00Z", "close_time": "2029-01-01T00:00:00Z"},
            "close_time",
        ),
        ({"options": ["Maybe", "Yes"]}, "options"),
        ({"kind": "multiple_choice", "options": ["A"]}, "options"),
        ({"slug": "Not a slug!"}, "slug"),
        ({"title": ""}, "title"),
        ({"kind": "numeric", "options": []}, "range_min"),
        ({"kind": "numeric", "range_min": 5, "range_max": 1}, "range_max"),
        ({"kind": "date", "range_min": 1, "range_max": 2}, "range_min"),
        ({"range_min": 1}, "range_min"),
        ({"close_time": "soon"}, "close_time"),
        ({"draft": True}, "draft"),
        ({"tags": ["Not a tag"]}, "tags"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
    ],
)
def test_a_bad_field_is_a_400_naming_it_as_for_a_question(user_api, overrides, field):
    response = propose(user_api, **overrides)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Proposal.objects.exists()


def test_a_slug_already_taken_by_a_question_is_a_400(user_api, db):
    QuestionFactory(slug="fusion-2030")
    response = propose(user_api)
    assert response.status_code == 400 and "slug" in response.json()


def test_a_close_time_in_the_past_is_a_400(user_api):
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = propose(user_api, close_time=past)
    assert response.status_code == 400 and "close_time" in response.json()


def test_visitors_cannot_propose_or_list(anon):
    assert propose(anon).status_code == 401
    assert anon.get(LIST).status_code == 401


def test_a_user_lists_their_own_and_staff_list_all(user_api, staff_api):
    mine = propose(user_api).json()
    other = client_for(UserFactory())
    theirs = propose(other, slug="theirs").json()
    assert [p["id"] for p in user_api.get(LIST).json()["results"]] == [mine["id"]]
    assert {p["id"] for p in staff_api.get(LIST).json()["results"]} == {
        mine["id"],
        theirs["id"],
    }


def test_someone_elses_proposal_is_404_everywhere(user_api, db):
    theirs = propose(client_for(UserFactory())).json()
    url = f"{LIST}{theirs['id']}/"
    assert user_api.get(url).status_code == 404
    assert user_api.patch(url, {"title": "Mine now"}, format="json").status_code == 404
    assert Proposal.objects.get().title == fields()["title"]


def test_staff_edit_a_pending_proposal_and_its_author_cannot(user_api, staff_api):
    proposal = propose(user_api).json()
    url = f"{LIST}{proposal['id']}/"
    assert user_api.patch(url, {"title": "Better"}, format="json").status_code == 403
    edited = staff_api.patch(url, {"title": "Clearer title"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Clearer title"
    bad = staff_api.patch(url, {"options": ["No"]}, format="json")
    assert bad.status_code == 400 and "options" in bad.json()
    assert Proposal.objects.get().title == "Clearer title"


def test_accepting_publishes_the_question_crediting_the_author(
    user, user_api, staff_api, anon
):
    proposal = propose(user_api).json()
    response = staff_api.post(f"{LIST}{proposal['id']}/accept/")
    assert response.status_code == 201
    question = response.json()
    assert question["slug"] == "fusion-2030"
    assert question["status"] == "open"
    assert question["proposed_by"] == user.username
    assert question["tags"] == ["energy"]
    public = anon.get("/api/questions/fusion-2030/").json()
    assert public["proposed_by"] == user.username
    page = anon.get("/questions/fusion-2030/").content.decode()
    assert f'Proposed by <a href="/users/{user.username}/">{user.username}</a>' in page
    assert user_api.get(f"{LIST}{proposal['id']}/").json()["question"] == "fusion-2030"


def test_a_numeric_and_a_date_proposal_publish_with_their_ranges(
    user_api, staff_api, anon
):
    numeric = propose(
        user_api,
        slug="r2-context",
        kind="numeric",
        range_min=32768,
        range_max=16777216,
        scale="log",
        open_lower_bound=True,
        open_upper_bound=True,
        unit="tokens",
    ).json()
    assert (numeric["range_min"], numeric["scale"], numeric["unit"]) == (
        32768,
        "log",
        "tokens",
    )
    date = propose(
        user_api,
        slug="r2-release",
        kind="date",
        range_min="2025-02-26T00:00:00Z",
        range_max="2028-01-01T00:00:00Z",
        open_upper_bound=True,
    ).json()
    assert date["range_max"] == "2028-01-01T00:00:00Z"
    for proposal in (numeric, date):
        assert staff_api.post(f"{LIST}{proposal['id']}/accept/").status_code == 201
    question = anon.get("/api/questions/r2-context/").json()
    assert question["kind"] == "numeric" and question["range_max"] == 16777216
    assert (question["scale"], question["open_lower_bound"]) == ("log", True)
    question = anon.get("/api/questions/r2-release/").json()
    assert question["range_min"] == "2025-02-26T00:00:00Z"
    assert question["open_upper_bound"] is True


def test_staff_edit_a_date_proposals_range_by_its_kind(user_api, staff_api):
    proposal = propose(
        user_api,
        kind="date",
        range_min="2025-02-26T00:00:00Z",
        range_max="2028-01-01T00:00:00Z",
    ).json()
    url = f"{LIST}{proposal['id']}/"
    edited = staff_api.patch(url, {"range_max": "2029-01-01T00:00:00Z"}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["range_max"] == "2029-01-01T00:00:00Z"
    bad = staff_api.patch(url, {"range_max": 5}, format="json")
    assert bad.status_code == 400 and "range_max" in bad.json()


def test_a_question_nobody_proposed_has_no_proposer(anon, binary_question):
    response = anon.get(f"/api/questions/{binary_question.slug}/")
    assert response.json()["proposed_by"] is None


def test_only_staff_accept_and_only_once(user_api, staff_api):
    proposal = propose(user_api).json()
    url = f"{LIST}{proposal['id']}/accept/"
    assert user_api.post(url).status_code == 403
    assert staff_api.post(url).status_code == 201
    again = staff_api.post(url)
    assert again.status_code == 400 and "status" in again.json()
    assert Question.objects.count() == 1


def test_accepting_when_the_slug_was_taken_meanwhile_is_a_400(user_api, staff_api):
    proposal = propose(user_api).json()
    QuestionFactory(slug="fusion-2030")
    response = staff_api.post(f"{LIST}{proposal['id']}/accept/")
    assert response.status_code == 400 and "slug" in response.json()
    assert Proposal.objects.get().status == "pending"
    assert Question.objects.count() == 1


def test_a_proposal_opens_when_accepted_unless_it_says_when(user_api, staff_api, clock):
    proposal = propose(user_api).json()
    clock.set(clock.moment + timedelta(days=2))
    staff_api.post(f"{LIST}{proposal['id']}/accept/")
    assert Question.objects.get().open_time == clock.moment
    opens = datetime(2026, 1, 1, tzinfo=UTC)
    explicit = propose(user_api, slug="other", open_time=opens.isoformat()).json()
    assert explicit["open_time"] == "2026-01-01T00:00:00.000000Z"


def test_declining_needs_a_reason_and_tells_the_author(
    user, user_api, staff_api, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = propose(user_api).json()
    url = f"{LIST}{proposal['id']}/decline/"
    for body in ({}, {"reason": "  "}):
        refused = staff_api.post(url, body, format="json")
        assert refused.status_code == 400 and "reason" in refused.json()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        declined = staff_api.post(url, {"reason": "Already asked."}, format="json")
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert "Already asked." in mailoutbox[0].body
    assert user_api.post(url, {"reason": "x"}, format="json").status_code == 403
    assert not Question.objects.exists()


def test_proposals_are_throttled_per_user(user_api):
    # The default, THROTTLE_PROPOSAL_RATE=5/day.
    codes = [propose(user_api, slug=f"p-{i}").status_code for i in range(6)]
    assert codes == [201] * 5 + [429]
    assert Proposal.objects.count() == 5


@pytest.mark.parametrize("n", [2, 30])
def test_the_proposal_list_runs_a_fixed_number_of_queries(
    n, staff_api, django_assert_max_num_queries
):
    for i in range(n):
        propose(client_for(UserFactory()), slug=f"p-{i}")
    # Token with user, count, the page of proposals with authors and questions.
    with django_assert_max_num_queries(3):
        response = staff_api.get(LIST, {"page_size": 100})
    assert response.json()["count"] == n
