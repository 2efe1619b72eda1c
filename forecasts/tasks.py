"""Celery tasks: each wraps one service or selector."""

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist

from forecasts import services
from forecasts.selectors.pending import unscored_resolution_ids


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    # A missing resolution stays missing: retrying cannot help.
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def score_resolution_task(resolution_id: int) -> bool:
    """Score one resolution version; a redelivered or repeated run changes nothing."""
    return services.score_resolution(resolution_id=resolution_id)


@shared_task
def score_pending() -> int:
    """Queue scoring of every latest resolution version still unscored.

    It catches versions whose queueing failed (broker down at commit) or whose
    retries ran out. A version already queued may be queued twice: scoring is
    idempotent, so the second run only finds the work done.
    """
    pending = unscored_resolution_ids()
    for resolution_id in pending:
        score_resolution_task.delay(resolution_id)
    return len(pending)


@shared_task
def extend_community_series_task() -> int:
    """Store the community points that have come due on every active question."""
    return services.extend_active_community_series()
