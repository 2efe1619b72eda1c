"""The ledger as exports show it: rows shaped for the README's hash recipe."""

from collections.abc import Iterator

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)

from forecasts.ledger import format_time, value_to_str, vector_strings
from forecasts.models import CONTINUOUS_KINDS, Entry, Question, ResolutionEvent

ENTRY_COLUMNS = (
    "question__slug",
    "sequence",
    "user_id",
    "user__username",
    "probabilities_bp",
    "rationale",
    "created_at",
    "salted",
    "shown_salt",
    "prev_hash",
    "hash",
    "question__kind",
    "input",
)
EVENT_COLUMNS = (
    "question__slug",
    "version",
    "outcome",
    "annulled",
    "note",
    "source_url",
    "effective_at",
    "created_at",
    "created_by_id",
    "prev_hash",
    "hash",
    "value",
)


def exported_entries(user) -> QuerySet[Entry]:
    """Return the entries this user may export: their own; staff, everyone's."""
    entries = Entry.objects.order_by("question_id", "sequence")
    return entries if user.is_staff else entries.filter(user=user)


def exported_events(user) -> QuerySet[ResolutionEvent]:
    """Return the resolution events of the questions in the user's export."""
    events = ResolutionEvent.objects.order_by("question_id", "version")
    if user.is_staff:
        return events
    return events.filter(
        question__in=Question.objects.filter(entries__user=user).values("pk")
    )


def salt_visible(viewer) -> Q:
    """Return the entries whose salt the viewer may see.

    A salt opens its entry's hash to anyone who can guess the forecast, so it
    stays with the entry's author until the question is resolved or annulled
    (staff included); the backup alone carries every salt.
    """
    settled = Q(question__head__resolutions__gt=0)
    if viewer is None or not viewer.is_authenticated:
        return settled
    return settled | Q(user_id=viewer.pk)


def entry_records(entries: QuerySet[Entry], viewer=None) -> Iterator[dict]:
    """Yield each entry as the hash recipe reads it, plus its username.

    `salt` is null where the viewer may not see it yet; `salted` says whether
    the entry has one (false: written before salts, hashed without one).
    """
    rows = entries.annotate(
        salted=ExpressionWrapper(Q(salt__isnull=False), output_field=BooleanField()),
        shown_salt=Case(
            When(salt_visible(viewer), then=F("salt")),
            default=Value(None),
            output_field=CharField(),
        ),
    )
    for row in rows.values_list(*ENTRY_COLUMNS).iterator(chunk_size=2000):
        slug, sequence, user, username, vector, rationale, created = row[:7]
        continuous = row[11] in CONTINUOUS_KINDS
        yield {
            "question": slug,
            "sequence": sequence,
            "user": user,
            "username": username,
            # As hashed: 4 decimals, or 6 for a numeric or date question's CDF.
            "probabilities": vector_strings(vector, continuous),
            "rationale": rationale,
            "created_at": format_time(created),
            "salted": bool(row[7]),
            "salt": row[8],
            "prev_hash": row[9],
            "hash": row[10],
            "input": row[12],
        }


def event_records(events: QuerySet[ResolutionEvent]) -> Iterator[dict]:
    """Yield each resolution event as its hash covers it."""
    for row in events.values_list(*EVENT_COLUMNS).iterator(chunk_size=2000):
        slug, version, outcome, annulled, note, url, effective, created, by = row[:9]
        yield {
            "question": slug,
            "version": version,
            "outcome": outcome,
            "annulled": annulled,
            "note": note,
            "source_url": url,
            "effective_at": format_time(effective),
            "created_at": format_time(created),
            "resolved_by": by,
            "prev_hash": row[9],
            "hash": row[10],
            # Hashed as this string, and only when not null.
            "value": None if row[11] is None else value_to_str(row[11]),
        }
