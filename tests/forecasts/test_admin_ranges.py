"""The admin shows and takes a date question's range as ISO datetimes (UTC)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from forecasts import services
from forecasts.models import Question
from tests.factories import UserFactory, admin_question_form
from tests.forecasts.test_continuous_questions import (
    JAN_1,
    JAN_11,
    date_question,
    numeric_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_url(question) -> str:
    return reverse("admin:forecasts_question_change", args=[question.pk])


def date_form(question, **overrides) -> dict:
    data = {
        "slug": question.slug,
        "kind": "date",
        "options": "[]",
        "range_min": "2026-01-01T00:00:00Z",
        "range_max": "2026-01-11T00:00:00Z",
    }
    return admin_question_form(**(data | overrides))


def field_html(response, name: str) -> str:
    """Return the field's admin row: its errors, input and help."""
    html = response.content.decode()
    row = html[html.index(f"field-{name}") :]
    return row[: row.index('<div class="form-row', 1)]


def test_a_date_questions_change_page_shows_its_range_as_iso_utc(admin_client):
    question = date_question()
    page = admin_client.get(change_url(question))
    assert 'value="2026-01-01T00:00:00Z"' in field_html(page, "range_min")
    assert 'value="2026-01-11T00:00:00Z"' in field_html(page, "range_max")
    assert str(int(JAN_1)) not in page.content.decode()


def test_saving_an_iso_range_stores_its_posix_seconds(admin_client):
    question = date_question()
    form = date_form(question, range_max="2026-01-21T12:00:00+02:00")
    assert admin_client.post(change_url(question), form).status_code == 302
    stored = Question.objects.get(pk=question.pk)
    assert stored.range_min == JAN_1
    assert stored.range_max == datetime(2026, 1, 21, 10, tzinfo=UTC).timestamp()


def test_a_datetime_without_an_offset_is_utc_whatever_the_visitors_zone(
    admin_client,
):
    question = date_question()
    admin_client.cookies["tz"] = "Asia/Tokyo"
    form = date_form(question, range_min="2025-12-25T06:30")
    assert admin_client.post(change_url(question), form).status_code == 302
    stored = Question.objects.get(pk=question.pk)
    assert stored.range_min == datetime(2025, 12, 25, 6, 30, tzinfo=UTC).timestamp()


def test_staff_create_a_date_question_with_an_iso_range(admin_client):
    form = admin_question_form(
        kind="date",
        options="[]",
        range_min="2030-01-01",
        range_max="2031-01-01T00:00:00Z",
    )
    response = admin_client.post(reverse("admin:forecasts_question_add"), form)
    assert response.status_code == 302
    question = Question.objects.get(slug="admin-made")
    assert question.range_min == datetime(2030, 1, 1, tzinfo=UTC).timestamp()
    assert question.range_max == datetime(2031, 1, 1, tzinfo=UTC).timestamp()


def test_a_bad_iso_range_is_an_error_next_to_the_field(admin_client):
    question = date_question()
    response = admin_client.post(
        change_url(question), date_form(question, range_max="next spring")
    )
    assert response.status_code == 200
    assert "Enter an ISO 8601 date or datetime." in field_html(response, "range_max")
    assert 'value="next spring"' in field_html(response, "range_max")
    assert Question.objects.get(pk=question.pk).range_max == JAN_11


def test_numeric_questions_keep_plain_numbers(admin_client):
    question = numeric_question()
    page = admin_client.get(change_url(question))
    assert 'value="1000.0"' in field_html(page, "range_min")
    form = admin_question_form(
        slug=question.slug,
        kind="numeric",
        options="[]",
        range_min="1000.0",
        range_max="2e6",
        scale="log",
        open_lower_bound="on",
        open_upper_bound="on",
        unit="tokens",
    )
    assert admin_client.post(change_url(question), form).status_code == 302
    assert Question.objects.get(pk=question.pk).range_max == 2_000_000.0


def forecast(question) -> None:
    services.submit_forecast(
        question=question,
        user=UserFactory(),
        quantiles=[[0.1, "2026-01-03"], [0.9, "2026-01-08"]],
    )


def test_the_admin_refuses_to_move_a_forecast_date_range(admin_client):
    question = date_question()
    forecast(question)
    form = date_form(question, range_max="2026-01-12T00:00:00Z")
    response = admin_client.post(change_url(question), form)
    assert response.status_code == 200
    assert "Cannot change once the question has forecasts." in field_html(
        response, "range_max"
    )
    assert Question.objects.get(pk=question.pk).range_max == JAN_11


def test_a_forecast_date_question_keeps_its_range_when_other_fields_change(
    admin_client,
):
    question = date_question(range_max=JAN_11 + 0.123456789)
    forecast(question)
    page = admin_client.get(change_url(question))
    html = field_html(page, "range_max")
    shown = html[html.index('value="') + 7 :].split('"')[0]
    form = date_form(question, range_max=shown, title="Retitled in the admin")
    assert admin_client.post(change_url(question), form).status_code == 302
    stored = Question.objects.get(pk=question.pk)
    assert stored.title == "Retitled in the admin"
    assert stored.range_max == JAN_11 + 0.123456789
