"""The ledger as exports show it: rows shaped for the README's hash recipe."""

from collections.abc import Iterator

from django.db.models import QuerySet

from forecasts.ledger import bp_to_str, format_time
from forecasts.models import Entry, Question, ResolutionEvent

ENTRY_COLUMNS = (
    "question__slug",
    "sequence",
    "user_id",
    "user__username",
    "probabilities_bp",
    "rationale",
    "created_at",
    "prev_hash",
    "hash",
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


def entry_records(entries: QuerySet[Entry]) -> Iterator[dict]:
    """Yield each entry as the hash recipe reads it, plus its username."""
    for row in entries.values_list(*ENTRY_COLUMNS).iterator(chunk_size=2000):
        slug, sequence, user, username, vector, rationale, created, prev, digest = row
        yield {
            "question": slug,
            "sequence": sequence,
            "user": user,
            "username": username,
            "probabilities": [bp_to_str(bp) for bp in vector],
            "rationale": rationale,
            "created_at": format_time(created),
            "prev_hash": prev,
            "hash": digest,
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
        }
