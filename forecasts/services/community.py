"""Keep the stored community series C(h) up to date with the ledger."""

from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Max

from forecasts import scoring
from forecasts.models import CommunityPoint, Entry, Question
from forecasts.selectors.arrays import entry_arrays


def extend_community_series(*, question: Question, until: datetime) -> int:
    """Store C(h) for each boundary h before `until` and the close not yet stored.

    Return how many points were added. Points are never rewritten: each depends
    only on entries older than its boundary.
    """
    horizon = min(until, question.close_time)
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
    arrays = entry_arrays(question, before=_from_ts(boundaries[-1]))
    vectors, counts = scoring.community_series(
        arrays.times, arrays.users, arrays.vectors, boundaries, question.is_binary
    )
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


def _from_ts(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), tz=UTC)
