"""Bump the counters that key cached reads (see CacheGeneration)."""

from django.db.models import F

from forecasts.models import CacheGeneration

SCORES = CacheGeneration.SCORES
ACCOUNTS = CacheGeneration.ACCOUNTS


def bump_generation(name: str) -> None:
    """Move a counter on, inside the caller's transaction.

    The row is locked until that transaction ends, so a reader who sees the
    new value also sees the change it stands for. Callers bump last, to hold
    the lock briefly.
    """
    CacheGeneration.objects.bulk_create(
        [CacheGeneration(name=name)], ignore_conflicts=True
    )
    CacheGeneration.objects.filter(name=name).update(value=F("value") + 1)
