"""Celery tasks: each wraps one service."""

from celery import shared_task

from forecasts import services


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def score_resolution_task(resolution_id: int) -> bool:
    return services.score_resolution(resolution_id=resolution_id)


@shared_task
def extend_community_series_task() -> int:
    """Store the community points that have come due on every active question."""
    return services.extend_active_community_series()
