"""Creating tournaments through the API; bad input is 400 and writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import QuestionFactory
from tournaments.models import Tournament


@pytest.fixture
def body(db):
    QuestionFactory(slug="q-one")
    QuestionFactory(slug="q-two")
    now = timezone.now()
    return {
        "slug": "spring-round",
        "title": "Spring round",
        "description": "Our **spring** round. <script>alert(1)</script>",
        "start_time": now.isoformat(),
        "end_time": (now + timedelta(days=30)).isoformat(),
        "questions": ["q-one", "q-two"],
        "visibility": "private",
    }


def test_staff_create_a_private_tournament_with_questions_by_slug(clients, body):
    response = clients["staff"].post("/api/tournaments/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "running" and data["visibility"] == "private"
    assert sorted(data["questions"]) == ["q-one", "q-two"]
    assert "<strong>spring</strong>" in data["html"]
    assert "<script" not in data["html"]
    assert len(data["invite_token"]) >= 32
    assert Tournament.objects.get().questions.count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"questions": ["q-one", "no-such"]}, "questions"),
        ({"end_time": "2000-01-01T00:00:00Z"}, "end_time"),
        ({"visibility": "secret"}, "visibility"),
        ({"slug": "not a slug"}, "slug"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_fields_are_400_naming_them_and_create_nothing(
    clients, body, change, field
):
    response = clients["staff"].post(
        "/api/tournaments/", {**body, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Tournament.objects.exists()


def test_a_taken_slug_is_400(clients, body):
    first = clients["staff"].post("/api/tournaments/", body, format="json")
    assert first.status_code == 201
    again = clients["staff"].post("/api/tournaments/", body, format="json")
    assert again.status_code == 400 and list(again.json()) == ["slug"]
    assert Tournament.objects.count() == 1


@pytest.mark.parametrize("role, status", [("anon", 401), ("member", 403)])
def test_only_staff_create(clients, body, role, status):
    response = clients[role].post("/api/tournaments/", body, format="json")
    assert response.status_code == status and not Tournament.objects.exists()


def test_status_follows_the_tournament_dates(clients, body):
    now = timezone.now()
    upcoming = {
        **body,
        "start_time": (now + timedelta(days=1)).isoformat(),
        "end_time": (now + timedelta(days=2)).isoformat(),
    }
    over = {
        **body,
        "slug": "past-round",
        "start_time": (now - timedelta(days=2)).isoformat(),
        "end_time": (now - timedelta(days=1)).isoformat(),
    }
    assert (
        clients["staff"]
        .post("/api/tournaments/", upcoming, format="json")
        .json()["status"]
        == "upcoming"
    )
    assert (
        clients["staff"].post("/api/tournaments/", over, format="json").json()["status"]
        == "over"
    )
