"""Submit a forecast: append one entry to a question's hash chain."""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from forecasts.continuous import InvalidValue, parse_value
from forecasts.ledger import BP, ProbabilityError, entry_hash, new_salt, to_bp
from forecasts.models import Entry, LedgerHead, Question, Standing, Status
from forecasts.scoring import (
    ContinuousInputError,
    cdf_from_components,
    cdf_from_quantiles,
    cdf_from_values,
)
from forecasts.scoring.running import RunningSums, fold, pack
from forecasts.selectors.arrays import to_microseconds
from forecasts.services.locking import lock_head, lock_head_with_sums
from forecasts.services.running import refold_standing

MAX_RATIONALE = 10_000


def submit_forecast(
    *,
    question: Question,
    user,
    probability=None,
    probabilities=None,
    cdf=None,
    quantiles=None,
    components=None,
    rationale: str = "",
) -> Entry:
    """Append the user's new forecast to the question's ledger and return it.

    Binary questions take `probability` (P(yes)); multiple choice takes
    `probabilities`, one per option, summing to 1; numeric and date questions
    exactly one of `cdf`, `quantiles` or `components`, kept as the entry's input.
    """
    given = {"cdf": cdf, "quantiles": quantiles, "components": components}
    given = {name: value for name, value in given.items() if value is not None}
    if question.is_continuous:
        if probability is not None or probabilities is not None:
            field = "probability" if probability is not None else "probabilities"
            raise ValidationError(
                {field: "Give a cdf, quantiles or components for this question."}
            )
        vector, entry_input = continuous_vector(question, given), _plain(given)
    else:
        if given:
            raise ValidationError(
                {next(iter(given)): "Only numeric and date questions take this."}
            )
        vector = probability_vector(question, probability, probabilities)
        entry_input = None
    if not isinstance(rationale, str):
        raise ValidationError({"rationale": "Enter text."})
    if len(rationale) > MAX_RATIONALE:
        raise ValidationError({"rationale": f"At most {MAX_RATIONALE} characters."})
    with transaction.atomic():
        if question.is_continuous:
            head, prior = lock_head(question.pk), None
        else:
            head, prior = lock_head_with_sums(question.pk, user.pk)
        created_at = timezone.now()
        if head.last_entry_at and head.last_entry_at > created_at:
            created_at = head.last_entry_at
        refuse_unless_forecastable(question, head, created_at)
        sums = None
        if prior is not None:
            at = to_microseconds(created_at)
            sums = (fold(prior.sums, vector, at, prior.before), prior.sequence)
        entry = _append(
            question, head, user, vector, rationale, created_at, entry_input, sums
        )
    return entry


def continuous_vector(question: Question, given: dict) -> list[int]:
    """Return the stored CDF (millionths) of exactly one continuous input."""
    if len(given) != 1:
        message = "Give exactly one of cdf, quantiles or components."
        raise ValidationError({next(iter(given), "cdf"): message})
    (name, value), axis = next(iter(given.items())), question.axis()
    try:
        if name == "cdf":
            millionths = cdf_from_values(value, axis)
        elif name == "quantiles":
            millionths = cdf_from_quantiles(_quantile_pairs(question, value), axis)
        else:
            millionths = cdf_from_components(_components(question, value), axis)
    except ContinuousInputError as error:
        raise ValidationError({error.field: error.message}) from None
    return [int(m) for m in millionths]


def _plain(value):
    """Return the input with Decimal numbers (the API's parser) as floats."""
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def _quantile_pairs(question: Question, pairs) -> list:
    if not isinstance(pairs, list | tuple):
        raise ValidationError({"quantiles": "Enter a list of [p, x] pairs."})
    result = []
    for j, pair in enumerate(pairs):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValidationError({"quantiles": f"quantiles[{j}]: give [p, x]."})
        p, x = pair
        if isinstance(p, bool) or not isinstance(p, int | float | Decimal):
            raise ValidationError({"quantiles": f"quantiles[{j}]: p is a number."})
        result.append([p, _value("quantiles", f"quantiles[{j}]: x", question, x)])
    return result


def _components(question: Question, components) -> list:
    if not isinstance(components, list | tuple):
        raise ValidationError({"components": "Enter a list of components."})
    result = []
    for c, component in enumerate(components):
        if not isinstance(component, dict) or "center" not in component:
            message = f"components[{c}]: needs a center, a spread and a weight."
            raise ValidationError({"components": message})
        where = f"components[{c}]: center"
        center = _value("components", where, question, component["center"])
        result.append({**component, "center": center})
    return result


def _value(field: str, where: str, question: Question, raw) -> float:
    try:
        return parse_value(question, raw)
    except InvalidValue as error:
        raise ValidationError({field: f"{where}: {error}"}) from None


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


def _append(
    question, head, user, vector, rationale, created_at, entry_input=None, sums=None
):
    """Write the entry; `sums` are (its forecaster's new running sums, the
    sequence of the standing row they follow), or None where unknown."""
    entry = Entry(
        question=question,
        user=user,
        sequence=head.entries + 1,
        probabilities_bp=vector,
        p_yes_bp=vector[1] if question.is_binary else None,
        input=entry_input,
        rationale=rationale,
        created_at=created_at,
        salt=new_salt(),
        prev_hash=head.entry_hash,
    )
    entry.hash = entry_hash(question.slug, entry, question.is_continuous)
    head.entries, head.entry_hash = entry.sequence, entry.hash
    head.last_entry_at = created_at
    head.last_vector = None if question.is_continuous else vector
    standing = _standing(entry, None if sums is None else sums[0])
    if connection.vendor == "postgresql":
        sums_from = None if sums is None else sums[1]
        unknown = _write_in_one_statement(entry, standing, head, sums_from)
    else:
        _write_each_row(entry, standing, head)
        unknown = standing.sums is None
    if unknown and not question.is_continuous:
        # The sums could not follow from the ones read with the lock: none
        # were stored (entries from before the sums, or written another way,
        # or read just before verify_ledger --repair stored them), or the
        # forecaster's other tab wrote first. Fold their entries again, in
        # view under the lock: two reads, once per forecaster.
        refold_standing(entry.question_id, entry.user_id)
    question.head = head
    return entry


# The entry, the standing upsert and the head in one round trip: every
# statement here runs holding the question's lock, which all its writers wait on.
APPEND_SQL = """
WITH entry AS (
    INSERT INTO forecasts_entry (question_id, user_id, sequence, probabilities_bp,
        p_yes_bp, input, rationale, created_at, salt, prev_hash, hash)
    VALUES (%(question)s, %(user)s, %(sequence)s, %(vector)s::jsonb, %(p_yes)s,
        %(input)s::jsonb, %(rationale)s, %(created_at)s, %(salt)s, %(prev_hash)s,
        %(hash)s)
    RETURNING id
), standing AS (
    INSERT INTO forecasts_standing (question_id, user_id, entry_id, sequence,
        probabilities_bp, sums)
    SELECT %(question)s, %(user)s, id, %(sequence)s, %(vector)s::jsonb,
        %(sums)s FROM entry
    ON CONFLICT (question_id, user_id) DO UPDATE SET entry_id = EXCLUDED.entry_id,
        sequence = EXCLUDED.sequence, probabilities_bp = EXCLUDED.probabilities_bp,
        sums = CASE WHEN forecasts_standing.sequence = %(sums_from)s
            THEN EXCLUDED.sums END
    RETURNING sums IS NULL AS unknown
), head AS (
    UPDATE forecasts_ledgerhead SET entries = %(sequence)s, entry_hash = %(hash)s,
        last_entry_at = %(created_at)s, last_vector = %(last_vector)s::jsonb
    WHERE question_id = %(question)s
)
SELECT entry.id, standing.unknown FROM entry, standing
"""


def _standing(entry: Entry, sums: RunningSums | None) -> Standing:
    """Return the user's new standing row: the entry, and sums where known.

    Unknown sums are written as null, never left behind the latest entry.
    """
    return Standing(
        question_id=entry.question_id,
        user_id=entry.user_id,
        entry=entry,
        sequence=entry.sequence,
        probabilities_bp=entry.probabilities_bp,
        sums=None if sums is None else pack(sums),
    )


def _write_in_one_statement(entry: Entry, standing: Standing, head, sums_from) -> bool:
    """Write the entry, the standing upsert and the head in one statement.

    `sums_from` is the sequence of the standing row the new sums follow (None
    for a first entry): if the row changed after the lock read it, the sums
    are written as null. Return whether the stored sums are null.
    """
    vector = head.last_vector
    params = {
        "question": entry.question_id,
        "user": entry.user_id,
        "sequence": entry.sequence,
        "vector": json.dumps(entry.probabilities_bp),
        "p_yes": entry.p_yes_bp,
        "input": None if entry.input is None else json.dumps(entry.input),
        "rationale": entry.rationale,
        "created_at": entry.created_at,
        "salt": entry.salt,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "sums": standing.sums,
        "sums_from": sums_from,
        "last_vector": None if vector is None else json.dumps(vector),
    }
    with connection.cursor() as cursor:
        cursor.execute(APPEND_SQL, params)
        entry.pk, unknown = cursor.fetchone()
    entry._state.adding, entry._state.db = False, connection.alias
    return unknown


def _write_each_row(entry: Entry, standing: Standing, head: LedgerHead) -> None:
    entry.save()
    standing.entry = entry
    # One INSERT … ON CONFLICT DO UPDATE.
    Standing.objects.bulk_create(
        [standing],
        update_conflicts=True,
        unique_fields=["question", "user"],
        update_fields=["entry", "sequence", "probabilities_bp", "sums"],
    )
    head.save(update_fields=["entries", "entry_hash", "last_entry_at", "last_vector"])
