"""Typed date-times are read in the visitor's zone, which site.js names."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from forecasts.models import ResolutionEvent
from tests.factories import QuestionFactory


def resolve(client, question, **fields):
    data = {"step": "confirm", "version": 0, "note": "", "source_url": "", **fields}
    return client.post(reverse("forecasts:resolve", args=[question.slug]), data)


def past_question():
    now = timezone.now()
    return QuestionFactory(
        open_time=now - timedelta(days=30), close_time=now - timedelta(days=1)
    )


def test_outcome_time_typed_in_tokyo_is_stored_in_utc(client, staff, db):
    question = past_question()
    client.force_login(staff)
    client.cookies["tz"] = "Asia/Tokyo"
    typed = (timezone.now() - timedelta(days=2)).astimezone(UTC)
    local = typed.astimezone(timezone.get_fixed_timezone(9 * 60))
    response = resolve(
        client, question, outcome="1", effective_at=local.strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 302
    stored = ResolutionEvent.objects.get().effective_at
    # Tokyo is UTC+9 all year: 09:00 there is 00:00 UTC.
    assert stored == typed.replace(second=0, microsecond=0)


def test_the_field_names_the_zone_and_unknown_zones_mean_utc(client, staff, db):
    question = past_question()
    client.force_login(staff)
    client.cookies["tz"] = "Europe/Paris"
    page = reverse("forecasts:question", args=[question.slug])
    assert "Outcome known at (Europe/Paris)" in client.get(page).content.decode()
    client.cookies["tz"] = "../../etc/passwd"
    assert "Outcome known at (UTC)" in client.get(page).content.decode()


def test_a_made_up_zone_is_read_as_utc(client, staff, db):
    question = past_question()
    client.force_login(staff)
    client.cookies["tz"] = "Mars/Olympus_Mons"
    moment = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    resolve(client, question, outcome="0", effective_at="2026-11-30T12:00")
    assert ResolutionEvent.objects.get().effective_at == moment
