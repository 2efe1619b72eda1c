"""Resolve, annul and re-resolve questions, and score each resolution version."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from forecasts.continuous import InvalidValue, parse_value
from forecasts.ledger import resolution_hash
from forecasts.models import (
    LedgerHead,
    Outcome,
    Question,
    ResolutionEvent,
    Score,
    Scoring,
)
from forecasts.services.bulk import insert_columns
from forecasts.services.generations import SCORES, bump_generation
from forecasts.services.locking import lock_head
from forecasts.services.score_columns import score_columns

logger = logging.getLogger(__name__)


class ResolutionConflict(Exception):
    """The question's resolution is not in the state the caller expected."""


def resolve_question(
    *,
    question: Question,
    user,
    outcome: int | None = None,
    value=None,
    annulled: bool = False,
    note: str = "",
    source_url: str = "",
    effective_at=None,
    re_resolve: bool = False,
    expected_version: int | None = None,
) -> ResolutionEvent:
    """Append a resolution event (an outcome index, or annulled) and queue scoring.

    Numeric and date questions take `value` (a number, or an ISO datetime for
    dates), or outcome Outcome.BELOW / ABOVE alone where that bound is open.
    Resolving an already resolved or annulled question needs re_resolve and a
    note; it writes a new version whose scores replace the old ones.
    """
    now = timezone.now()
    outcome, value, effective_at = _validated(
        question, user, outcome, value, annulled, note, source_url, effective_at, now
    )
    with transaction.atomic():
        head = lock_head(question.pk)
        _check_version(head, re_resolve, note, expected_version)
        event = _append_event(
            question,
            head,
            user,
            (outcome, value),
            annulled,
            note,
            source_url,
            effective_at,
            now,
        )
        # Only the latest version's scores count, from the moment it exists.
        if Score.objects.filter(question=question, current=True).update(current=False):
            bump_generation(SCORES)
        transaction.on_commit(lambda: _enqueue_scoring(event.pk))
    return event


def check_resolution(
    *,
    question: Question,
    user,
    outcome: int | None = None,
    value=None,
    annulled: bool = False,
    note: str = "",
    source_url: str = "",
    effective_at=None,
    re_resolve: bool = False,
    expected_version: int | None = None,
) -> None:
    """Raise what resolve_question would raise for these arguments; write nothing.

    It reads the ledger head without locking it: a resolution appended between
    this check and the confirmation is still caught there, by expected_version.
    """
    now = timezone.now()
    _validated(
        question, user, outcome, value, annulled, note, source_url, effective_at, now
    )
    head = LedgerHead.objects.filter(pk=question.pk).first()
    _check_version(head or LedgerHead(), re_resolve, note, expected_version)


def _validated(question, user, outcome, value, annulled, note, url, effective, now):
    """Return (outcome code, value, effective_at) of a resolution, or raise why not.

    The one validation of resolve_question and of its preview check_resolution.
    """
    if not user.is_staff:
        raise PermissionDenied("Only staff resolve questions.")
    effective = effective or now
    outcome, value = continuous_outcome(question, outcome, value, annulled)
    _validate_resolution(question, outcome, annulled, note, url, effective, now)
    return outcome, value, effective


def continuous_outcome(question: Question, outcome, value, annulled):
    """Return (outcome code, value) of a numeric or date resolution, or raise.

    A value inside the range (its bounds included) is INSIDE; beyond an open
    bound BELOW or ABOVE (on a log scale a value ≤ 0 is below); beyond a
    closed bound a ValidationError (annul instead). Categorical: unchanged.
    """
    if not question.is_continuous:
        if value is not None:
            raise ValidationError({"value": "Only numeric and date questions."})
        return outcome, None
    if annulled:
        if value is not None:
            raise ValidationError({"value": "Give a value or annul, not both."})
        return outcome, None
    if value is None:
        return _beyond(question, outcome), None
    if outcome is not None:
        raise ValidationError({"outcome": "Give a value or an outcome, not both."})
    try:
        number = parse_value(question, value)
    except InvalidValue as error:
        raise ValidationError({"value": str(error)}) from None
    u = float(question.axis().to_unit(number))
    code = Outcome.BELOW if u < 0 else Outcome.ABOVE if u > 1 else Outcome.INSIDE
    if code != Outcome.INSIDE:
        _beyond(question, code, field="value")
    return int(code), number


def _beyond(question: Question, outcome, field: str = "outcome") -> int:
    """Return an outcome of BELOW or ABOVE where that bound is open, or raise."""
    open_side = {
        Outcome.BELOW: question.open_lower_bound,
        Outcome.ABOVE: question.open_upper_bound,
    }
    if outcome not in open_side:
        raise ValidationError({"value": "Give the value the question resolved to."})
    if not open_side[outcome]:
        side = "lower" if outcome == Outcome.BELOW else "upper"
        raise ValidationError(
            {field: f"Outside the closed {side} bound of the range: annul instead."}
        )
    return int(outcome)


def _validate_resolution(question, outcome, annulled, note, source_url, effective, now):
    errors = {}
    choices = range(3) if question.is_continuous else range(len(question.options))
    if annulled and outcome is not None:
        errors["outcome"] = "Give an outcome or annul, not both."
    elif not annulled and outcome not in choices:
        errors["outcome"] = "Choose one of the question's options."
    if annulled and not note.strip():
        errors["note"] = "Say why the question is annulled."
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors["source_url"] = "Enter a valid http(s) URL."
    if effective > now:
        errors["effective_at"] = "Cannot be in the future."
    elif effective < question.open_time:
        errors["effective_at"] = "Cannot be before the question opened."
    if question.published_at is None:
        errors["question"] = "Publish the question before resolving it."
    if errors:
        raise ValidationError(errors)


def _check_version(head: LedgerHead, re_resolve, note, expected_version) -> None:
    if expected_version is not None and expected_version != head.resolutions:
        raise ResolutionConflict(
            f"The latest resolution version is {head.resolutions}, "
            f"not {expected_version}."
        )
    if head.resolutions and not re_resolve:
        raise ResolutionConflict(
            "Already resolved; re-resolving needs re_resolve and a note."
        )
    if re_resolve and not head.resolutions:
        raise ValidationError({"re_resolve": "The question has not been resolved."})
    if re_resolve and not note.strip():
        raise ValidationError({"note": "Say why the resolution changes."})


def _append_event(question, head, user, result, annulled, note, url, effective, now):
    outcome, value = result
    event = ResolutionEvent(
        question=question,
        version=head.resolutions + 1,
        outcome=outcome,
        value=value,
        annulled=annulled,
        note=note,
        source_url=url,
        effective_at=effective,
        created_at=now,
        created_by=user,
        prev_hash=head.resolution_hash,
    )
    event.hash = resolution_hash(question.slug, event)
    event.save()
    head.resolutions, head.resolution_hash = event.version, event.hash
    head.outcome, head.annulled = outcome, annulled
    head.save(update_fields=["resolutions", "resolution_hash", "outcome", "annulled"])
    question.head = head
    return event


def _enqueue_scoring(resolution_id: int) -> None:
    from forecasts.tasks import score_resolution_task

    # A broker outage must not fail the resolution: the beat task
    # score_pending enqueues every version still unscored.
    try:
        score_resolution_task.delay(resolution_id)
    except Exception:
        logger.exception("Could not queue scoring of resolution %s", resolution_id)


def score_resolution(*, resolution_id: int) -> bool:
    """Score one resolution version, once; return False if superseded or done.

    Scores and the Scoring marker are written in one transaction, so a reader
    sees either no scores ("pending") or all of them.
    """
    with transaction.atomic():
        event = ResolutionEvent.objects.select_related("question").get(pk=resolution_id)
        head = lock_head(event.question_id)
        if head.resolutions != event.version:
            return False
        if Scoring.objects.filter(resolution=event).exists():
            return False
        question = event.question
        end = min(question.close_time, event.effective_at)
        columns = {} if event.annulled else score_columns(question, head, event, end)
        forecasters = len(columns.get("user_id", ()))
        insert_columns(Score, columns, forecasters)
        Scoring.objects.create(
            resolution=event, window_end=end, forecasters=forecasters
        )
        bump_generation(SCORES)
    return True
