"""Keep the stored community series C(h) up to date with the ledger."""

import json
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from forecasts import scoring
from forecasts.models import CommunityPoint, Entry, Question
from forecasts.selectors.arrays import entry_arrays
from forecasts.services.locking import lock_head


def extend_community_series(*, question: Question, until: datetime) -> int:
    """Store C(h) for each boundary h before `until` and the close not yet stored.

    Return how many points were added. Points are never rewritten: each depends
    only on entries older than its boundary, all of them committed (below).
    """
    with transaction.atomic():
        # Why no entry older than a stored boundary can still be on its way:
        # submit_forecast takes this same lock, then reads the clock, and
        # writes created_at = max(that time, the previous entry's), committing
        # before it lets go. Holding the lock, every entry that already has a
        # created_at has committed, and is seen by the reads below (under
        # PostgreSQL's READ COMMITTED each statement reads what is committed);
        # every later entry reads the clock after we release, at or after
        # `now`. So storing only boundaries h <= `now`, read under the lock,
        # leaves no entry with created_at < h uncommitted. (This assumes the
        # writers' clocks agree, as NTP keeps them.) A writer holding the lock
        # makes this wait. On SQLite the database's one write lock gives the
        # same order when transactions begin IMMEDIATE; with deferred ones, a
        # snapshot and an entry that read each other's stale state cannot both
        # commit (one gets "database is locked").
        lock_head(question.pk)
        # Boundaries fall strictly before the horizon: h <= now is allowed.
        latest = timezone.now() + timedelta(microseconds=1)
        horizon = min(until, question.close_time, latest)
        return _store_points(question, horizon)


def _store_points(question: Question, horizon: datetime) -> int:
    first = (
        Entry.objects.filter(question=question, sequence=1)
        .values_list("created_at", flat=True)
        .first()
    )
    if first is None:
        return 0
    stored = CommunityPoint.objects.filter(question=question).aggregate(t=Max("time"))
    after = max(first, stored["t"]) if stored["t"] else first
    boundaries = scoring.community_boundaries(
        after.timestamp(), horizon.timestamp(), settings.COMMUNITY_STEP_SECONDS
    )
    if not len(boundaries):
        return 0
    return store_community_points(question, boundaries)


def store_community_points(question: Question, boundaries) -> int:
    """Compute C(h) at each boundary (float seconds) from the ledger and store it.

    Points already stored at a boundary are left as they are.
    """
    arrays = entry_arrays(question, before=_from_ts(boundaries[-1]))
    if question.is_continuous:
        vectors, counts = scoring.continuous_community_series(
            arrays.times, arrays.users, arrays.vectors, boundaries
        )
    else:
        vectors, counts = scoring.community_series(
            arrays.times, arrays.users, arrays.vectors, boundaries, question.is_binary
        )
    if connection.vendor == "postgresql":
        _insert_points(question, boundaries, vectors, counts)
        return len(boundaries)
    CommunityPoint.objects.bulk_create(
        [
            CommunityPoint(
                question=question,
                time=_from_ts(h),
                probabilities=[float(p) for p in vector],
                forecasters=int(count),
            )
            for h, vector, count in zip(boundaries, vectors, counts, strict=True)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return len(boundaries)


def _insert_points(question: Question, boundaries, vectors, counts) -> None:
    """Insert the points in one statement from arrays (PostgreSQL).

    The same rows as bulk_create with ignore_conflicts. The times go as float
    seconds, which to_timestamp rounds to the microsecond as _from_ts does,
    and the vectors as one JSON array of the lists JSONField would write: a
    year of hourly points takes 0.21 s so, against 0.32 s as datetimes and
    0.41 s as datetimes and one JSON string per point.
    """
    table = CommunityPoint._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (question_id, time, probabilities, forecasters) "
            "SELECT %s, to_timestamp(u.t), j.p, u.f "
            "FROM unnest(%s::float8[], %s::integer[]) WITH ORDINALITY AS u(t, f, i) "
            "JOIN jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS j(p, i) "
            "ON j.i = u.i "
            "ON CONFLICT (question_id, time) DO NOTHING",
            [
                question.pk,
                [float(h) for h in boundaries],
                [int(count) for count in counts],
                json.dumps(vectors.tolist()),
            ],
        )


def _from_ts(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), tz=UTC)
