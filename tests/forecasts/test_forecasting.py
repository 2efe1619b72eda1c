"""Submitting forecasts: the hash chain, validation and the forecasting window."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from forecasts.models import AppendOnlyError, Entry, LedgerHead, Standing
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core


def recipe_hash(payload: dict) -> str:
    # The README's recipe, written out independently of forecasts.ledger.
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


def test_first_entry_hash_follows_the_published_recipe(binary_question, user, clock):
    clock.set(datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC))
    binary_question.open_time = clock.moment - timedelta(days=1)
    binary_question.save()
    entry = submit_forecast(
        question=binary_question, user=user, probability=0.72, rationale="Über 70%"
    )
    payload = {
        "question": binary_question.slug,
        "sequence": 1,
        "user": user.pk,
        "probabilities": ["0.2800", "0.7200"],
        "rationale": "Über 70%",
        "created_at": "2026-03-01T12:00:00.123456Z",
        "prev_hash": "0" * 64,
        "salt": entry.salt,  # random: tests/forecasts/test_salts.py checks it
    }
    assert entry.sequence == 1
    assert entry.prev_hash == "0" * 64
    assert entry.hash == recipe_hash(payload)
    assert entry.probability == 0.72 and entry.probabilities == [0.28, 0.72]


def test_entries_chain_and_the_head_follows(binary_question, user):
    first = submit_forecast(question=binary_question, user=user, probability=0.72)
    second = submit_forecast(question=binary_question, user=user, probability=0.65)
    head = LedgerHead.objects.get(question=binary_question)
    assert (second.sequence, second.prev_hash) == (2, first.hash)
    assert (head.entries, head.entry_hash) == (2, second.hash)
    assert second.created_at >= first.created_at


def test_standing_forecast_is_the_latest_entry(binary_question, user):
    submit_forecast(question=binary_question, user=user, probability=0.72)
    latest = submit_forecast(question=binary_question, user=user, probability=0.65)
    standing = Standing.objects.get(question=binary_question, user=user)
    assert standing.entry_id == latest.pk
    assert Entry.objects.filter(question=binary_question).count() == 2


def test_what_is_stored_is_what_was_returned(mc_question, user):
    submit_forecast(question=mc_question, user=user, probabilities=[0.5, 0.3, 0.2])
    entry = submit_forecast(
        question=mc_question,
        user=user,
        probabilities=[0.2, 0.5, 0.3],
        rationale="Wait for the poll.",
    )
    fields = [f.attname for f in Entry._meta.concrete_fields]
    stored = Entry.objects.get(pk=entry.pk)
    assert [getattr(stored, f) for f in fields] == [getattr(entry, f) for f in fields]
    standing = Standing.objects.get(question=mc_question, user=user)
    assert (standing.entry_id, standing.sequence) == (entry.pk, 2)
    assert standing.probabilities_bp == [2000, 5000, 3000]
    head = LedgerHead.objects.get(question=mc_question)
    assert (head.entries, head.entry_hash) == (2, entry.hash)
    assert head.last_entry_at == entry.created_at


def test_entry_time_never_goes_back_in_ledger_order(binary_question, user, clock):
    first = submit_forecast(question=binary_question, user=user, probability=0.5)
    clock.set(first.created_at - timedelta(seconds=30))  # the server clock stepped back
    second = submit_forecast(question=binary_question, user=user, probability=0.6)
    assert second.created_at == first.created_at


def test_multiple_choice_vector_is_stored_exactly(mc_question, user):
    entry = submit_forecast(
        question=mc_question, user=user, probabilities=[0.2, 0.5, 0.3]
    )
    assert entry.probabilities_bp == [2000, 5000, 3000]
    assert entry.p_yes_bp is None


@pytest.mark.parametrize(
    "value, message",
    [
        (0.0005, "between 0.001 and 0.999"),
        (0.9995, "between 0.001 and 0.999"),
        (1, "between 0.001 and 0.999"),
        (0.12345, "4 decimal places"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        ("0.5", "Enter a number"),
        (True, "Enter a number"),
        (None, "required"),
    ],
)
def test_bad_binary_probability_is_refused_and_nothing_written(
    binary_question, user, value, message
):
    with pytest.raises(ValidationError) as caught:
        submit_forecast(question=binary_question, user=user, probability=value)
    assert message in caught.value.message_dict["probability"][0]
    assert not Entry.objects.exists()
    assert LedgerHead.objects.get(question=binary_question).entries == 0


def test_probability_bounds_are_inclusive(binary_question, user):
    submit_forecast(question=binary_question, user=user, probability=Decimal("0.001"))
    entry = submit_forecast(question=binary_question, user=user, probability=0.999)
    assert entry.p_yes_bp == 9990


@pytest.mark.parametrize(
    "vector, message",
    [
        ([0.5, 0.5], "exactly 3 values"),
        ([0.2, 0.5, 0.2], "sum to 1"),
        ([0.0, 0.5, 0.5], "between 0.001 and 0.999"),
        ("0.2,0.5,0.3", "list of probabilities"),
        ([0.2, "0.5", 0.3], "Enter a number"),
    ],
)
def test_bad_multiple_choice_vector_is_refused(mc_question, user, vector, message):
    with pytest.raises(ValidationError) as caught:
        submit_forecast(question=mc_question, user=user, probabilities=vector)
    assert message in caught.value.message_dict["probabilities"][0]
    assert not Entry.objects.exists()


def test_binary_question_refuses_a_vector(binary_question, user):
    with pytest.raises(ValidationError) as caught:
        submit_forecast(question=binary_question, user=user, probabilities=[0.3, 0.7])
    assert "probabilities" in caught.value.message_dict


def test_forecast_after_close_is_rejected(closed_question, user):
    with pytest.raises(ValidationError) as caught:
        submit_forecast(question=closed_question, user=user, probability=0.5)
    assert "closed" in caught.value.message_dict["question"][0]
    assert not Entry.objects.exists()


def test_forecast_exactly_at_close_is_rejected(binary_question, user, clock):
    clock.set(binary_question.close_time)
    with pytest.raises(ValidationError, match="closed"):
        submit_forecast(question=binary_question, user=user, probability=0.5)


def test_forecast_before_open_is_rejected(db, user, clock):
    question = QuestionFactory(open_time=clock.moment + timedelta(hours=1))
    with pytest.raises(ValidationError, match="not open for forecasts yet"):
        submit_forecast(question=question, user=user, probability=0.5)


def test_draft_question_is_not_forecastable(db, user):
    question = QuestionFactory(publish=False)
    with pytest.raises(ValidationError, match="not published"):
        submit_forecast(question=question, user=user, probability=0.5)


@pytest.mark.parametrize("annulled", [False, True])
def test_resolution_stops_forecasting_at_once(binary_question, staff, user, annulled):
    submit_forecast(question=binary_question, user=user, probability=0.5)
    resolve_question(
        question=binary_question,
        user=staff,
        outcome=None if annulled else 1,
        annulled=annulled,
        note="Annulled: the premise failed." if annulled else "",
    )
    word = "annulled" if annulled else "resolved"
    with pytest.raises(ValidationError, match=word):
        submit_forecast(question=binary_question, user=UserFactory(), probability=0.5)
    assert Entry.objects.count() == 1


def test_entries_cannot_be_changed_or_deleted(binary_question, user):
    entry = submit_forecast(question=binary_question, user=user, probability=0.5)
    entry.rationale = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(rationale="rewritten")
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()
    assert Entry.objects.get(pk=entry.pk).rationale == ""


def test_too_long_rationale_is_refused(binary_question, user):
    with pytest.raises(ValidationError) as caught:
        submit_forecast(
            question=binary_question, user=user, probability=0.5, rationale="x" * 10001
        )
    assert "rationale" in caught.value.message_dict


def test_hash_time_format_pads_early_years():
    from forecasts.ledger import format_time

    moment = datetime(123, 4, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert format_time(moment) == "0123-04-05T06:07:08.000009Z"
