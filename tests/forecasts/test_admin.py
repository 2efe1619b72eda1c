"""The Django admin: questions editable by staff, the ledger browsable, read-only."""

import pytest
from django.urls import reverse

from forecasts.models import Clarification, Entry, LedgerHead, Question
from forecasts.services import resolve_question, submit_forecast
from tests.factories import UserFactory, admin_question_form


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def ledger(binary_question, user, staff):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    resolve_question(question=binary_question, user=staff, outcome=1)
    return binary_question


@pytest.mark.parametrize(
    "model",
    [
        "entry",
        "resolutionevent",
        "question",
        "score",
        "notification",
        "notificationsettings",
        "practiceremoval",
    ],
)
def test_ledger_is_browsable(admin_client, ledger, model):
    response = admin_client.get(reverse(f"admin:forecasts_{model}_changelist"))
    assert response.status_code == 200


def test_entries_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, ledger):
    entry = Entry.objects.get()
    assert admin_client.get(reverse("admin:forecasts_entry_add")).status_code == 403
    delete = reverse("admin:forecasts_entry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:forecasts_entry_change", args=[entry.pk])
    admin_client.post(change, {"rationale": "rewritten"})
    assert Entry.objects.get().rationale == ""


def test_staff_create_a_draft_question_with_its_ledger_head(admin_client):
    response = admin_client.post(
        reverse("admin:forecasts_question_add"), admin_question_form()
    )
    assert response.status_code == 302
    question = Question.objects.get(slug="admin-made")
    assert question.published_at is None
    assert LedgerHead.objects.filter(question=question).exists()


def test_criteria_edited_in_the_admin_after_a_forecast_become_a_clarification(
    admin_client, binary_question, user
):
    submit_forecast(question=binary_question, user=user, probability=0.4)
    url = reverse("admin:forecasts_question_change", args=[binary_question.pk])
    form = admin_question_form(
        slug=binary_question.slug, resolution_criteria="Clarified in the admin."
    )
    assert admin_client.post(url, form).status_code == 302
    assert Clarification.objects.get().text == "Clarified in the admin."


def test_admin_refuses_to_change_the_kind_after_a_forecast(
    admin_client, binary_question, user
):
    submit_forecast(question=binary_question, user=user, probability=0.4)
    url = reverse("admin:forecasts_question_change", args=[binary_question.pk])
    form = admin_question_form(
        slug=binary_question.slug, kind="multiple_choice", options='["A", "B"]'
    )
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "Cannot change once the question has forecasts." in response.text
    assert Question.objects.get(pk=binary_question.pk).kind == "binary"
