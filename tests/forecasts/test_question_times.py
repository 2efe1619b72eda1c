"""A question's times after forecasts: open cannot pass the first, and both
freeze at resolution, through the service, the API (400) and the admin form."""

from datetime import timedelta

import pytest
from django.urls import reverse

from forecasts.models import Question
from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import client_for
from tests.factories import QuestionFactory, UserFactory, admin_question_form

pytestmark = pytest.mark.core


@pytest.fixture
def forecast_on(db, clock, user):
    """A question open two days ago with one forecast made one day ago."""
    question = QuestionFactory(
        open_time=clock.moment - timedelta(days=2),
        close_time=clock.moment + timedelta(days=5),
    )
    clock.set(question.open_time + timedelta(days=1))
    entry = submit_forecast(question=question, user=user, probability=0.7)
    clock.set(question.open_time + timedelta(days=2))
    return question, entry


@pytest.fixture
def staff_api(staff):
    return client_for(staff)


def patch(api, question, **fields):
    return api.patch(f"/api/questions/{question.slug}/", fields, format="json")


def stored_times(question):
    return Question.objects.values_list("open_time", "close_time").get(pk=question.pk)


def test_open_time_cannot_pass_the_first_forecast(staff_api, forecast_on):
    question, entry = forecast_on
    before = stored_times(question)

    late = patch(staff_api, question, open_time=entry.created_at + timedelta(hours=1))

    assert late.status_code == 400
    assert "first forecast" in late.json()["open_time"][0]
    assert stored_times(question) == before
    earlier = question.open_time - timedelta(days=1)
    early = patch(staff_api, question, open_time=earlier)
    assert early.status_code == 200
    assert stored_times(question)[0] == earlier
    assert early.json()["open_time"] == earlier.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize("annulled", [False, True])
@pytest.mark.parametrize("field", ["open_time", "close_time"])
def test_times_freeze_once_resolved(staff_api, staff, forecast_on, annulled, field):
    question, _ = forecast_on
    how = {"annulled": True, "note": "Void."} if annulled else {"outcome": 1}
    resolve_question(question=question, user=staff, **how)
    before = stored_times(question)
    moved = getattr(question, field) - timedelta(hours=1)

    response = patch(staff_api, question, **{field: moved})

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "re-resolve" in response.json()[field][0]
    assert stored_times(question) == before
    # Other fields stay editable.
    assert patch(staff_api, question, title="Retitled").status_code == 200


def test_only_staff_change_questions(db, forecast_on):
    question, _ = forecast_on
    response = patch(client_for(UserFactory()), question, title="Mine now")
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).title == question.title


def test_admin_refuses_to_move_a_resolved_questions_close_time(
    client, staff, forecast_on
):
    question, _ = forecast_on
    resolve_question(question=question, user=staff, outcome=1)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = admin_question_form(
        slug=question.slug,
        open_time_0=question.open_time.date().isoformat(),
        open_time_1=question.open_time.time().isoformat(),
        close_time_0="2031-01-01",
        close_time_1="00:00:00",
    )

    response = client.post(
        reverse("admin:forecasts_question_change", args=[question.pk]), form
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["close_time"] == [
        "Cannot change once the question is resolved or annulled; "
        "re-resolve to change what is scored."
    ]
    assert stored_times(question)[1] == question.close_time
