"""Remove the practice set: the only deletion of ledger rows the project allows."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from forecasts.models import (
    Clarification,
    CommunityPoint,
    Entry,
    LedgerHead,
    PracticeRemoval,
    Question,
    ResolutionEvent,
    Score,
    Scoring,
    Standing,
    Tag,
)
from forecasts.practice import PRACTICE_TAG
from forecasts.practice.forecasters import ADMIN, NAMES, usernames


def remove_practice_set() -> PracticeRemoval | None:
    """Delete every practice question with all its rows, and log the removal.

    Practice questions are those the practice-set loader created (the
    `practice` flag), not those tagged `practice`: anyone on the staff can
    tag a question. Return the log row, or None when there is none. Synthetic
    users go too, unless they have entries or scores elsewhere.
    """
    with transaction.atomic():
        questions = dict(
            Question.objects.filter(practice=True).values_list("pk", "slug")
        )
        if not questions:
            return None
        ids = list(questions)
        # Locking the heads makes a forecast racing the removal wait, then fail.
        list(LedgerHead.objects.select_for_update().filter(question_id__in=ids))
        _set_practice_removal("on")
        counts = _delete_question_rows(ids)
        _set_practice_removal("off")
        return PracticeRemoval.objects.create(
            question_slugs=sorted(questions.values()),
            users=_delete_synthetic_users(),
            **counts,
        )


def _set_practice_removal(value: str) -> None:
    # On PostgreSQL the ledger trigger (migrations 0003, 0009) allows a DELETE
    # of a practice question's row only while this is on; set_config(..., true)
    # is SET LOCAL.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('forecasts.practice_removal', %s, true)", [value]
            )


def _delete_question_rows(ids: list[int]) -> dict[str, int]:
    Score.objects.filter(question_id__in=ids).delete()
    Scoring.objects.filter(resolution__question_id__in=ids).delete()
    CommunityPoint.objects.filter(question_id__in=ids).delete()
    Standing.objects.filter(question_id__in=ids).delete()
    counts = {
        "entries": _delete_ledger_rows(Entry, ids),
        "resolutions": _delete_ledger_rows(ResolutionEvent, ids),
        "clarifications": _delete_ledger_rows(Clarification, ids),
    }
    LedgerHead.objects.filter(question_id__in=ids).delete()
    Question.objects.filter(pk__in=ids).delete()
    Tag.objects.filter(slug=PRACTICE_TAG, questions__isnull=True).delete()
    return counts


def _delete_ledger_rows(model, ids: list[int]) -> int:
    """Delete a ledger table's rows of the given questions in one statement.

    AppendOnlyQuerySet.delete() refuses on purpose; _raw_delete is the plain
    DELETE beneath it, used here and nowhere else.
    """
    queryset = model.objects.filter(question_id__in=ids)
    return queryset._raw_delete(queryset.db)


def _delete_synthetic_users() -> int:
    users = get_user_model().objects.filter(
        username__in=[ADMIN, *usernames(len(NAMES))],
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )
    for related, column in (
        (Entry, "user"),
        (Score, "user"),
        (ResolutionEvent, "created_by"),
    ):
        users = users.exclude(
            Exists(related.objects.filter(**{column: OuterRef("pk")}))
        )
    deleted = users.delete()[1]
    return deleted.get(get_user_model()._meta.label, 0)
