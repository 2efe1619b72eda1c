"""The ledger exports as they were before they streamed: the slow reference.

A frozen copy of the code path at commit cac9bb8 (views/exports.py and
selectors/api_ledger.py), kept here so the streaming exports are compared to
bytes this file makes, not to bytes the code under test makes. The question
ledger is built as one dict and rendered by DRF's JSONRenderer, as the view's
`Response` did. Do not "fix" this file to follow the code: it is the contract.
Issue 12 extended the contract with numeric and date questions' fields
(marked below): the entry's input, the event's value, the question's range,
the scores' crps and pit, written here the way the old path would have.
"""

import csv
import json

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from rest_framework.renderers import JSONRenderer

from forecasts.ledger import bp_to_str, format_time
from forecasts.models import (
    SCORE_FIELDS,
    CommunityPoint,
    Entry,
    Question,
    ResolutionEvent,
    Score,
)

CSV_COLUMNS = (
    "question",
    "sequence",
    "user",
    "username",
    "probabilities",
    "rationale",
    "created_at",
    "salted",
    "salt",
    "prev_hash",
    "hash",
    "input",  # issue 12
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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
    "question__kind",  # issue 12
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
    "value",  # issue 12
)


class _Echo:
    def write(self, value):
        return value


def exported_entries(user):
    entries = Entry.objects.order_by("question_id", "sequence")
    return entries if user.is_staff else entries.filter(user=user)


def exported_events(user):
    events = ResolutionEvent.objects.order_by("question_id", "version")
    if user.is_staff:
        return events
    return events.filter(
        question__in=Question.objects.filter(entries__user=user).values("pk")
    )


def _salt_visible(viewer):
    settled = Q(question__head__resolutions__gt=0)
    if viewer is None or not viewer.is_authenticated:
        return settled
    return settled | Q(user_id=viewer.pk)


def entry_records(entries, viewer=None):
    rows = entries.annotate(
        salted=ExpressionWrapper(Q(salt__isnull=False), output_field=BooleanField()),
        shown_salt=Case(
            When(_salt_visible(viewer), then=F("salt")),
            default=Value(None),
            output_field=CharField(),
        ),
    )
    for row in rows.values_list(*ENTRY_COLUMNS):
        slug, sequence, user, username, vector, rationale, created = row[:7]
        yield {
            "question": slug,
            "sequence": sequence,
            "user": user,
            "username": username,
            "probabilities": (
                [f"{m // 1_000_000}.{m % 1_000_000:06d}" for m in vector]
                if row[11] in ("numeric", "date")
                else [bp_to_str(bp) for bp in vector]
            ),
            "rationale": rationale,
            "created_at": format_time(created),
            "salted": bool(row[7]),
            "salt": row[8],
            "prev_hash": row[9],
            "hash": row[10],
            "input": row[12],
        }


def event_records(events):
    for row in events.values_list(*EVENT_COLUMNS):
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
            "value": None if row[11] is None else repr(float(row[11])),
        }


def ledger_csv(user) -> bytes:
    """GET /api/export/ledger.csv as it answered."""
    writer = csv.writer(_Echo())
    lines = [writer.writerow(CSV_COLUMNS)]
    for record in entry_records(exported_entries(user), user):
        record["probabilities"] = json.dumps(record["probabilities"])
        record["input"] = "" if record["input"] is None else json.dumps(record["input"])
        for text in ("username", "rationale"):
            if record[text].startswith(FORMULA_STARTS):
                record[text] = "'" + record[text]
        lines.append(writer.writerow([record[column] for column in CSV_COLUMNS]))
    return "".join(lines).encode()


def ledger_json(user) -> bytes:
    """GET /api/export/ledger.json as it answered."""
    parts = ['{"entries": [']
    for i, record in enumerate(entry_records(exported_entries(user), user)):
        parts.append(("," if i else "") + json.dumps(record, ensure_ascii=False))
    parts.append('], "resolutions": [')
    for i, record in enumerate(event_records(exported_events(user))):
        parts.append(("," if i else "") + json.dumps(record, ensure_ascii=False))
    parts.append("]}")
    return "".join(parts).encode()


def question_ledger_json(question: Question, viewer=None) -> bytes:
    """GET /api/questions/{slug}/ledger.json as it answered: one dict, rendered."""
    question = Question.objects.select_related("head").get(pk=question.pk)
    events = ResolutionEvent.objects.filter(question=question).order_by("version")
    latest = (
        ResolutionEvent.objects.filter(
            question=question, version=question.head.resolutions
        )
        .select_related("scoring")
        .first()
        if question.head.resolutions
        else None
    )
    if latest is None:
        state = "unresolved"
    elif latest.annulled:
        state = "annulled"
    else:
        state = "done" if hasattr(latest, "scoring") else "pending"
    scores = (
        Score.objects.filter(resolution=latest)
        .select_related("user")
        .order_by("time_averaged_brier", "user__username")
        if latest is not None and hasattr(latest, "scoring")
        else Score.objects.none()
    )
    head = question.head
    data = {
        "question": {
            "slug": question.slug,
            "kind": question.kind,
            "options": question.options,
            "ordered": question.ordered,
            "range_min": question.range_min,
            "range_max": question.range_max,
            "scale": question.scale,
            "open_lower_bound": question.open_lower_bound,
            "open_upper_bound": question.open_upper_bound,
            "unit": question.unit,
            "open_time": format_time(question.open_time),
            "close_time": format_time(question.close_time),
            "community_step_seconds": settings.COMMUNITY_STEP_SECONDS,
        },
        "head": {
            "entries": head.entries,
            "entry_hash": head.entry_hash,
            "resolutions": head.resolutions,
            "resolution_hash": head.resolution_hash,
        },
        "entries": list(entry_records(question.entries.order_by("sequence"), viewer)),
        "resolutions": list(event_records(events)),
        "community": [
            {
                "time": format_time(p.time),
                "probabilities": p.probabilities,
                "forecasters": p.forecasters,
            }
            for p in CommunityPoint.objects.filter(question=question).order_by("time")
        ],
        "scoring": {"version": latest.version if latest else None, "state": state},
        "scores": [
            {
                "user": s.user_id,
                "username": s.user.username,
                **{name: getattr(s, name) for name in SCORE_FIELDS},
                "crps": s.crps,
                "pit": s.pit,
            }
            for s in scores
        ],
    }
    return JSONRenderer().render(data)
