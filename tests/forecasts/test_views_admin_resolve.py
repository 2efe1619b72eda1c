"""Resolving from the Django admin: an action with its own form, same service."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from forecasts.models import ResolutionEvent, Score
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

CHANGELIST = reverse("admin:forecasts_question_changelist")


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def act(client, question, **fields):
    data = {"action": "resolve", ACTION_CHECKBOX_NAME: [question.pk], **fields}
    return client.post(CHANGELIST, data)


def test_action_shows_a_form_with_what_resolving_will_do(admin_client, binary_question):
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    html = act(admin_client, binary_question).content.decode()
    assert "1 forecaster has forecast before the close" in html
    assert "counts toward calibration only from that close" in html
    assert 'name="outcome"' in html and "Annul (no one is scored)" in html
    assert not ResolutionEvent.objects.exists()


def test_applying_resolves_through_the_service_and_scores(
    admin_client, binary_question, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.65)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            admin_client,
            binary_question,
            apply="yes",
            version=0,
            outcome="1",
            note="Done.",
            source_url="",
            effective_at="",
        )
    assert response.status_code == 302
    assert ResolutionEvent.objects.get().outcome == 1
    assert Score.objects.get().brier == pytest.approx(0.245)


def test_annulling_without_a_note_shows_the_service_error(
    admin_client, binary_question
):
    html = act(
        admin_client, binary_question, apply="yes", version=0, outcome="annul"
    ).content.decode()
    assert "Say why the question is annulled." in html
    assert not ResolutionEvent.objects.exists()


def test_re_resolving_shows_the_previous_outcome(admin_client, staff, binary_question):
    resolve_question(question=binary_question, user=staff, outcome=1)
    html = act(admin_client, binary_question).content.decode()
    assert "Currently resolved Yes" in html
    act(admin_client, binary_question, apply="yes", version=1, outcome="0")
    assert ResolutionEvent.objects.count() == 1  # no note: refused
    act(
        admin_client,
        binary_question,
        apply="yes",
        version=1,
        outcome="0",
        note="Misread.",
    )
    assert ResolutionEvent.objects.count() == 2


def test_one_question_at_a_time(admin_client, db):
    first, second = QuestionFactory(), QuestionFactory()
    data = {"action": "resolve", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    response = admin_client.post(CHANGELIST, data, follow=True)
    assert "Select one question." in response.content.decode()
