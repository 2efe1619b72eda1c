"""Tournaments in the Django admin: created with questions, tokens rotated."""

import pytest
from django.urls import reverse

from tests.factories import QuestionFactory, UserFactory
from tests.tournaments.conftest import make_tournament
from tournaments.models import Tournament


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_create_a_private_tournament_in_the_admin(
    admin_client, django_capture_on_commit_callbacks
):
    question = QuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:tournaments_tournament_add"),
            {
                "slug": "admin-round",
                "title": "Admin round",
                "description": "",
                "start_time_0": "2026-01-01",
                "start_time_1": "00:00:00",
                "end_time_0": "2026-02-01",
                "end_time_1": "00:00:00",
                "visibility": "private",
                "questions": [question.pk],
                "created_at_0": "2026-01-01",
                "created_at_1": "00:00:00",
            },
        )
    assert response.status_code == 302, response.content
    tournament = Tournament.objects.get(slug="admin-round")
    assert list(tournament.questions.all()) == [question]
    assert admin_client.get("/api/questions/").json()["count"] == 1  # staff see it


def test_an_end_before_the_start_is_refused_next_to_the_field(admin_client):
    response = admin_client.post(
        reverse("admin:tournaments_tournament_add"),
        {
            "slug": "backwards",
            "title": "Backwards",
            "start_time_0": "2026-02-01",
            "start_time_1": "00:00:00",
            "end_time_0": "2026-01-01",
            "end_time_1": "00:00:00",
            "visibility": "public",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "Must be after the start time." in response.content.decode()
    assert not Tournament.objects.exists()


def test_the_rotate_action_gives_a_new_token(admin_client):
    tournament = make_tournament()
    old = tournament.invite_token
    response = admin_client.post(
        reverse("admin:tournaments_tournament_changelist"),
        {"action": "rotate_invite", "_selected_action": [tournament.pk]},
    )
    assert response.status_code == 302
    tournament.refresh_from_db()
    assert tournament.invite_token != old
