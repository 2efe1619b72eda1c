"""Joining by invite link or token, rotating it, and staff adding members."""

import pytest
from django.test import Client

from tests.tournaments.conftest import make_tournament
from tournaments.models import Tournament


@pytest.fixture
def private(db):
    return make_tournament()


def members(tournament) -> set[str]:
    return set(tournament.members.values_list("username", flat=True))


def test_joining_by_token_makes_a_member_who_then_sees_the_tournament(private, clients):
    client = clients["outsider"]
    assert client.get("/api/tournaments/team-round/").status_code == 404
    response = client.post(
        "/api/tournaments/team-round/join/",
        {"token": private.invite_token},
        format="json",
    )
    assert response.status_code == 200 and response.json()["is_member"] is True
    assert members(private) == {"outsider"}
    assert client.get("/api/tournaments/team-round/").status_code == 200


def test_a_wrong_token_on_a_private_tournament_is_404_and_joins_nothing(
    private, clients
):
    response = clients["outsider"].post(
        "/api/tournaments/team-round/join/", {"token": "guess"}, format="json"
    )
    assert response.status_code == 404
    assert members(private) == set()


def test_a_wrong_token_on_a_visible_tournament_is_400_naming_the_token(clients):
    make_tournament(visibility="public")
    response = clients["outsider"].post(
        "/api/tournaments/team-round/join/", {"token": "guess"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["token"]


def test_joining_needs_an_account(private, clients):
    response = clients["anon"].post(
        "/api/tournaments/team-round/join/",
        {"token": private.invite_token},
        format="json",
    )
    assert response.status_code == 401 and members(private) == set()


def test_rotating_the_token_refuses_the_old_one(private, clients):
    old = private.invite_token
    response = clients["staff"].post("/api/tournaments/team-round/invite/")
    new = response.json()["invite_token"]
    assert response.status_code == 200 and new != old
    assert Tournament.objects.get().invite_token == new
    refused = clients["outsider"].post(
        "/api/tournaments/team-round/join/", {"token": old}, format="json"
    )
    assert refused.status_code == 404 and members(private) == set()
    page = Client()
    page.force_login(private.members.model.objects.get(username="outsider"))
    assert page.get(f"/tournaments/team-round/join/{old}/").status_code == 404
    assert page.post(f"/tournaments/team-round/join/{old}/").status_code == 404
    assert members(private) == set()


@pytest.mark.parametrize("role, status", [("anon", 401), ("member", 403)])
def test_only_staff_rotate_the_token(private, clients, role, status):
    old = private.invite_token
    response = clients[role].post("/api/tournaments/team-round/invite/")
    assert response.status_code == status
    assert Tournament.objects.get().invite_token == old


def test_the_invite_page_sends_a_visitor_to_log_in_first(private):
    url = f"/tournaments/team-round/join/{private.invite_token}/"
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "team-round/join" in response["Location"]


def test_the_invite_page_joins_a_logged_in_user_on_confirming(private, outsider):
    page = Client()
    page.force_login(outsider)
    url = f"/tournaments/team-round/join/{private.invite_token}/"
    shown = page.get(url)
    assert shown.status_code == 200 and b'id="join-tournament"' in shown.content
    assert members(private) == set()  # looking at the invite joins nothing
    response = page.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/tournaments/team-round/"
    assert members(private) == {"outsider"}
    assert page.get("/tournaments/team-round/").status_code == 200


def test_staff_add_a_member_by_username(private, clients, outsider):
    response = clients["staff"].post(
        "/api/tournaments/team-round/members/", {"username": "outsider"}, format="json"
    )
    assert response.status_code == 200 and members(private) == {"outsider"}


def test_adding_an_unknown_username_is_400_naming_it(private, clients):
    response = clients["staff"].post(
        "/api/tournaments/team-round/members/", {"username": "nobody"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"username": ["No such user."]}
    assert members(private) == set()


def test_members_cannot_add_members(private, clients, member, outsider):
    private.members.add(member)
    response = clients["member"].post(
        "/api/tournaments/team-round/members/", {"username": "outsider"}, format="json"
    )
    assert response.status_code == 403 and members(private) == {"member"}
