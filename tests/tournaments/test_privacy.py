"""A private tournament and its private-only questions: members and staff only.

Every read a non-member could try answers 404 (never 403, which would tell
that the question exists), and lists leave them out.
"""

from decimal import Decimal

import pytest
from django.test import Client

from forecasts.services import submit_forecast
from tests.factories import QuestionFactory
from tests.tournaments.conftest import make_tournament

ROLES = ("anon", "outsider", "member", "staff")
SEES = {"anon": False, "outsider": False, "member": True, "staff": True}


@pytest.fixture
def world(member, staff, resolve):
    """A private round with an open question and a resolved one, and a public
    round with a question that the private round shares."""
    secret = QuestionFactory(slug="secret-open", title="Secret open question")
    submit_forecast(question=secret, user=member, probability=Decimal("0.7"))
    resolved = resolve([(member, "0.8")], outcome=1)
    shared = QuestionFactory(slug="shared", title="Shared question")
    private = make_tournament([secret, resolved, shared], members=[member])
    make_tournament(
        [shared], visibility="public", slug="open-round", title="Open round"
    )
    return {"private": private, "secret": secret, "resolved": resolved}


def browser(role, users) -> Client:
    client = Client()
    if role != "anon":
        client.force_login(users[role])
    return client


@pytest.fixture
def users(member, outsider, staff):
    return {"outsider": outsider, "member": member, "staff": staff}


def expected(role, ok=200):
    return ok if SEES[role] else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/tournaments/team-round/",
        "/tournaments/team-round/calibration.svg",
        "/questions/secret-open/",
        "/questions/secret-open/community.svg",
        "/questions/secret-open/community.png",
    ],
)
def test_pages_of_a_private_tournament_are_404_to_non_members(world, users, role, url):
    assert browser(role, users).get(url).status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "/api/tournaments/team-round/",
        "/api/tournaments/team-round/leaderboard/",
        "/api/questions/secret-open/",
        "/api/questions/secret-open/community/",
        "/api/questions/secret-open/scores/",
        "/api/questions/{resolved}/",
        "/api/questions/{resolved}/ledger.json",
        "/api/questions/{resolved}/scores/",
    ],
)
def test_api_objects_of_a_private_tournament_are_404_to_non_members(
    world, clients, role, path
):
    url = path.format(resolved=world["resolved"].slug)
    response = clients[role].get(url)
    assert response.status_code == expected(role), response.content


@pytest.mark.parametrize("role", ["anon", "outsider"])
def test_non_members_cannot_forecast_on_a_private_only_question(world, clients, role):
    response = clients[role].post(
        "/api/questions/secret-open/forecasts/",
        {"probability": 0.4},
        format="json",
    )
    assert response.status_code == (401 if role == "anon" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_search_leave_private_only_questions_out(world, users, role):
    client = browser(role, users)
    page = client.get("/").content.decode()
    found = client.get("/?q=Secret").content.decode()
    api = client.get("/api/questions/", {"page_size": 500}).json()["results"]
    searched = client.get("/api/questions/", {"search": "Secret"}).json()
    assert ("Secret open question" in page) is SEES[role]
    assert ("Secret open question" in found) is SEES[role]
    assert ("secret-open" in {q["slug"] for q in api}) is SEES[role]
    assert (searched["count"] == 1) is SEES[role]


@pytest.mark.parametrize("role", ROLES)
def test_a_question_also_in_a_public_tournament_stays_public(world, users, role):
    client = browser(role, users)
    assert client.get("/questions/shared/").status_code == 200
    assert client.get("/api/questions/shared/").status_code == 200
    assert "Shared question" in client.get("/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_tournament_list_shows_a_private_tournament_to_members(world, users, role):
    client = browser(role, users)
    page = client.get("/tournaments/").content.decode()
    api = client.get("/api/tournaments/").json()["results"]
    assert ("Team round" in page) is SEES[role]
    assert "Open round" in page
    assert ("team-round" in {t["slug"] for t in api}) is SEES[role]


def test_the_public_round_lists_only_questions_the_viewer_sees(world, clients):
    # A question in both rounds is public; the public round shows it to all.
    body = clients["anon"].get("/api/tournaments/open-round/").json()
    assert body["questions"] == ["shared"]
    assert "invite_token" not in body


def test_only_staff_read_the_invite_token(world, clients):
    member = clients["member"].get("/api/tournaments/team-round/").json()
    staff = clients["staff"].get("/api/tournaments/team-round/").json()
    assert "invite_token" not in member
    assert staff["invite_token"] == world["private"].invite_token
    assert member["is_member"] is True and staff["is_member"] is False
    assert set(staff["questions"]) == {"secret-open", "shared", world["resolved"].slug}


def test_the_own_export_still_holds_the_members_entries(world, clients):
    # The export is of your own entries; a member's private forecasts are theirs.
    export = clients["member"].get("/api/export/ledger.json")
    assert b"secret-open" in b"".join(export.streaming_content)
    other = clients["outsider"].get("/api/export/ledger.json")
    assert b"secret-open" not in b"".join(other.streaming_content)
