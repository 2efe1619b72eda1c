"""Celery tasks: each wraps one service or selector."""

import logging
from functools import partial

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from forecasts import services
from forecasts.notifications import services as notifications
from forecasts.selectors import cached_leaderboard
from forecasts.selectors.pending import unscored_resolution_ids
from forecasts.services import snapshots

logger = logging.getLogger(__name__)

RETRIED = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


@shared_task(
    **RETRIED,
    # A missing resolution stays missing: retrying cannot help.
    dont_autoretry_for=(ObjectDoesNotExist,),
)
def score_resolution_task(resolution_id: int) -> bool:
    """Score one resolution version; a redelivered or repeated run changes nothing.

    Once this run has scored it, forecasters are told.
    """
    scored = services.score_resolution(resolution_id=resolution_id)
    if scored:
        transaction.on_commit(partial(_after_scoring, resolution_id))
    return scored


def _after_scoring(resolution_id: int) -> None:
    # The scores are committed; a broker error here must not fail the task,
    # whose redelivery would find the version scored and queue nothing.
    try:
        notify_resolution_task.delay(resolution_id)
    except Exception:
        logger.exception(
            "Could not queue notifications of resolution %s", resolution_id
        )


@shared_task
def score_pending() -> int:
    """Queue scoring of every latest resolution version still unscored.

    It catches versions whose queueing failed (broker down at commit) or whose
    retries ran out. A version already queued may be queued twice: scoring is
    idempotent, so the second run only finds the work done. Each version it
    gets scored is notified, as above.
    """
    pending = unscored_resolution_ids()
    for resolution_id in pending:
        score_resolution_task.delay(resolution_id)
    return len(pending)


@shared_task(**RETRIED)
def notify_resolution_task(resolution_id: int) -> int:
    """E-mail the forecasters of a scored resolution version, each at most once."""
    return notifications.notify_resolution(resolution_id=resolution_id)


@shared_task(**RETRIED)
def send_reminders_task() -> int:
    """E-mail reminders of standing forecasts over 30 days old on open questions."""
    return notifications.send_reminders()


@shared_task
def extend_community_series_task() -> int:
    """Request a coalesced snapshot job per active question; return how many queued."""
    return snapshots.request_active_snapshots()


@shared_task(acks_late=True)
def community_snapshot_task(question_id: int) -> int:
    """Store the community points come due on one question."""
    return snapshots.take_community_snapshot(question_id=question_id)


@shared_task
def freeze_closed_questions_task() -> int:
    """Store the community series up to the close of questions just closed."""
    return len(snapshots.freeze_closed_questions())


@shared_task
def refresh_leaderboards_task() -> int:
    """Recompute the default leaderboards into the cache."""
    return cached_leaderboard.warm_leaderboards()
