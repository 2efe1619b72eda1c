"""Question status, frozen fields and clarifications."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forecasts.models import Clarification, Score, Status
from forecasts.selectors.calibration import calibration_for
from forecasts.services import (
    publish_question,
    resolve_question,
    submit_forecast,
    update_question,
)
from tests.factories import QuestionFactory

pytestmark = pytest.mark.core


def test_status_is_derived_from_times_and_resolutions(db, staff):
    now = timezone.now()
    day = timedelta(days=1)
    draft = QuestionFactory(publish=False)
    upcoming = QuestionFactory(open_time=now + day, close_time=now + 2 * day)
    open_ = QuestionFactory(open_time=now - day, close_time=now + day)
    closed = QuestionFactory(open_time=now - 2 * day, close_time=now - day)
    resolved = QuestionFactory(open_time=now - 2 * day, close_time=now - day)
    resolve_question(question=resolved, user=staff, outcome=0)
    annulled = QuestionFactory()
    resolve_question(question=annulled, user=staff, annulled=True, note="Void.")
    assert [
        q.status() for q in (draft, upcoming, open_, closed, resolved, annulled)
    ] == [
        Status.DRAFT,
        Status.UPCOMING,
        Status.OPEN,
        Status.CLOSED,
        Status.RESOLVED,
        Status.ANNULLED,
    ]
    publish_question(question=draft)
    assert draft.status() == Status.OPEN


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "multiple_choice", "options": ["A", "B"]},
        {"options": ["Yes", "No"]},
        {"slug": "renamed"},
    ],
)
def test_kind_options_and_slug_freeze_at_the_first_entry(
    binary_question, user, changes
):
    update_question(question=binary_question, title="Still editable")
    submit_forecast(question=binary_question, user=user, probability=0.5)
    with pytest.raises(ValidationError) as caught:
        update_question(question=binary_question, **changes)
    assert set(caught.value.message_dict) & set(changes)
    binary_question.refresh_from_db()
    assert (binary_question.kind, binary_question.slug) == (
        "binary",
        binary_question.slug,
    )


def test_criteria_edit_before_any_forecast_just_changes_them(binary_question):
    update_question(question=binary_question, resolution_criteria="New wording.")
    binary_question.refresh_from_db()
    assert binary_question.resolution_criteria == "New wording."
    assert not Clarification.objects.exists()


def test_criteria_edit_after_a_forecast_is_a_dated_clarification(binary_question, user):
    submit_forecast(question=binary_question, user=user, probability=0.5)
    original = binary_question.resolution_criteria
    update_question(question=binary_question, resolution_criteria="Clarified wording.")
    binary_question.refresh_from_db()
    assert binary_question.resolution_criteria == original
    clarification = Clarification.objects.get()
    assert clarification.text == "Clarified wording."
    assert clarification.created_at is not None


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "binary", "options": ["A", "B"]}, "options"),
        ({"kind": "multiple_choice", "options": ["A", "A"]}, "options"),
        ({"kind": "binary", "ordered": True}, "ordered"),
    ],
)
def test_invalid_question_is_refused(db, fields, field):
    with pytest.raises(ValidationError) as caught:
        QuestionFactory(**fields)
    assert field in caught.value.message_dict


def test_bad_tag_is_refused_naming_the_tags_field(db):
    with pytest.raises(ValidationError) as caught:
        QuestionFactory(tags=["release", "not a slug!"])
    assert "not a slug!" in caught.value.message_dict["tags"][0]


def test_a_resolved_questions_close_time_is_frozen_with_its_scores(
    db, staff, user, clock, django_capture_on_commit_callbacks
):
    question = QuestionFactory(
        open_time=clock.moment - timedelta(days=2),
        close_time=clock.moment - timedelta(days=1),
    )
    clock.set(question.open_time + timedelta(hours=1))
    submit_forecast(question=question, user=user, probability=0.8)
    clock.set(question.close_time + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, outcome=1)
    later = clock.moment + timedelta(days=7)

    # Moving it would leave scores computed for the old window: refused.
    with pytest.raises(ValidationError) as caught:
        update_question(question=question, close_time=later, resolve_time=later)

    assert list(caught.value.message_dict) == ["close_time"]
    assert Score.objects.get(user=user).close_time == question.close_time
    assert calibration_for(user=user).n == 1
