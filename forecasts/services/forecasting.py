"""Submit a forecast: append one entry to a question's hash chain."""

import json

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from forecasts.ledger import BP, ProbabilityError, entry_hash, new_salt, to_bp
from forecasts.models import Entry, LedgerHead, Question, Standing, Status
from forecasts.services.locking import lock_head

MAX_RATIONALE = 10_000


def submit_forecast(
    *,
    question: Question,
    user,
    probability=None,
    probabilities=None,
    rationale: str = "",
) -> Entry:
    """Append the user's new forecast to the question's ledger and return it.

    Binary questions take `probability` (P(yes)); multiple choice takes
    `probabilities`, one per option, summing to 1.
    """
    vector = probability_vector(question, probability, probabilities)
    if not isinstance(rationale, str):
        raise ValidationError({"rationale": "Enter text."})
    if len(rationale) > MAX_RATIONALE:
        raise ValidationError({"rationale": f"At most {MAX_RATIONALE} characters."})
    with transaction.atomic():
        head = lock_head(question.pk)
        created_at = timezone.now()
        if head.last_entry_at and head.last_entry_at > created_at:
            created_at = head.last_entry_at
        refuse_unless_forecastable(question, head, created_at)
        entry = _append(question, head, user, vector, rationale, created_at)
    return entry


def probability_vector(question: Question, probability, probabilities) -> list[int]:
    """Return the forecast as basis points per option, or raise ValidationError."""
    if question.is_binary:
        if probabilities is not None:
            raise ValidationError(
                {"probabilities": "Binary questions take probability."}
            )
        return [BP - (yes := _bp("probability", probability)), yes]
    if probability is not None:
        raise ValidationError({"probability": "This question takes probabilities."})
    if not isinstance(probabilities, list | tuple):
        raise ValidationError({"probabilities": "Enter a list of probabilities."})
    if len(probabilities) != len(question.options):
        raise ValidationError(
            {"probabilities": f"Give exactly {len(question.options)} values."}
        )
    vector = [_bp("probabilities", value) for value in probabilities]
    if sum(vector) != BP:
        raise ValidationError({"probabilities": "Probabilities must sum to 1."})
    return vector


def _bp(field: str, value) -> int:
    if value is None:
        raise ValidationError({field: "This field is required."})
    try:
        return to_bp(value)
    except ProbabilityError as error:
        raise ValidationError({field: str(error)}) from None


def refuse_unless_forecastable(question: Question, head: LedgerHead, moment) -> None:
    """Raise ValidationError naming why the question takes no forecast at moment."""
    question.head = head
    status = question.status(moment)
    reasons = {
        Status.DRAFT: "This question is not published.",
        Status.UPCOMING: "This question is not open for forecasts yet.",
        Status.CLOSED: "This question has closed; it accepts no more forecasts.",
        Status.RESOLVED: "This question has been resolved; it accepts no forecasts.",
        Status.ANNULLED: "This question has been annulled; it accepts no forecasts.",
    }
    if status in reasons:
        raise ValidationError({"question": reasons[status]})


def _append(question, head, user, vector, rationale, created_at) -> Entry:
    entry = Entry(
        question=question,
        user=user,
        sequence=head.entries + 1,
        probabilities_bp=vector,
        p_yes_bp=vector[1] if question.is_binary else None,
        rationale=rationale,
        created_at=created_at,
        salt=new_salt(),
        prev_hash=head.entry_hash,
    )
    entry.hash = entry_hash(question.slug, entry)
    head.entries, head.entry_hash = entry.sequence, entry.hash
    head.last_entry_at = created_at
    if connection.vendor == "postgresql":
        _write_in_one_statement(entry)
    else:
        _write_each_row(entry, head)
    question.head = head
    return entry


# The entry, the standing upsert and the head in one round trip: every
# statement here runs holding the question's lock, which all its writers wait on.
APPEND_SQL = """
WITH entry AS (
    INSERT INTO forecasts_entry (question_id, user_id, sequence, probabilities_bp,
        p_yes_bp, rationale, created_at, salt, prev_hash, hash)
    VALUES (%(question)s, %(user)s, %(sequence)s, %(vector)s::jsonb, %(p_yes)s,
        %(rationale)s, %(created_at)s, %(salt)s, %(prev_hash)s, %(hash)s)
    RETURNING id
), standing AS (
    INSERT INTO forecasts_standing (question_id, user_id, entry_id, sequence,
        probabilities_bp)
    SELECT %(question)s, %(user)s, id, %(sequence)s, %(vector)s::jsonb FROM entry
    ON CONFLICT (question_id, user_id) DO UPDATE SET entry_id = EXCLUDED.entry_id,
        sequence = EXCLUDED.sequence, probabilities_bp = EXCLUDED.probabilities_bp
), head AS (
    UPDATE forecasts_ledgerhead SET entries = %(sequence)s, entry_hash = %(hash)s,
        last_entry_at = %(created_at)s
    WHERE question_id = %(question)s
)
SELECT id FROM entry
"""


def _write_in_one_statement(entry: Entry) -> None:
    params = {
        "question": entry.question_id,
        "user": entry.user_id,
        "sequence": entry.sequence,
        "vector": json.dumps(entry.probabilities_bp),
        "p_yes": entry.p_yes_bp,
        "rationale": entry.rationale,
        "created_at": entry.created_at,
        "salt": entry.salt,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
    with connection.cursor() as cursor:
        cursor.execute(APPEND_SQL, params)
        (entry.pk,) = cursor.fetchone()
    entry._state.adding, entry._state.db = False, connection.alias


def _write_each_row(entry: Entry, head: LedgerHead) -> None:
    entry.save()
    # One INSERT … ON CONFLICT DO UPDATE.
    Standing.objects.bulk_create(
        [
            Standing(
                question_id=entry.question_id,
                user_id=entry.user_id,
                entry=entry,
                sequence=entry.sequence,
                probabilities_bp=entry.probabilities_bp,
            )
        ],
        update_conflicts=True,
        unique_fields=["question", "user"],
        update_fields=["entry", "sequence", "probabilities_bp"],
    )
    head.save(update_fields=["entries", "entry_hash", "last_entry_at"])
