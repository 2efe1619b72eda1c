"""Extend community series from beat: coalesced per question, frozen at close."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from forecasts.models import Question
from forecasts.selectors.snapshots import (
    questions_closed_between,
    unresolved_forecast_questions,
)
from forecasts.services.community import extend_community_series

logger = logging.getLogger(__name__)

# A queued job holds its question's key until it starts, or until the key
# expires if the job is lost (a broker restart), so a lost job blocks no more.
QUEUED_SECONDS = 600
FROZEN_MARK = "community-snapshot:frozen-until"
# With no mark (a fresh or flushed cache), look back this far for closings.
FIRST_LOOKBACK = timedelta(days=1)


def _queued_key(question_id: int) -> str:
    return f"community-snapshot:queued:{question_id}"


def request_community_snapshot(question_id: int) -> bool:
    """Queue a snapshot job for the question unless one is already queued.

    However many requests arrive (each beat run, each forecast if a caller
    asks), a question has at most one job waiting: cache.add is atomic, so
    only the first request since the last job started sets the key and
    queues. Return whether this request queued the job.
    """
    if not cache.add(_queued_key(question_id), 1, QUEUED_SECONDS):
        return False
    transaction.on_commit(lambda: _queue_snapshot(question_id))
    return True


def _queue_snapshot(question_id: int) -> None:
    from forecasts.tasks import community_snapshot_task

    try:
        community_snapshot_task.delay(question_id)
    except Exception:
        cache.delete(_queued_key(question_id))
        logger.exception("Could not queue the community snapshot of %s", question_id)


def request_active_snapshots() -> int:
    """Request a snapshot of every unresolved question with entries."""
    ids = unresolved_forecast_questions().values_list("pk", flat=True)
    return sum(request_community_snapshot(pk) for pk in ids)


def take_community_snapshot(*, question_id: int, now: datetime | None = None) -> int:
    """Store the community points come due on one question; return how many.

    The key is released first, so a request arriving during this run queues
    another job, which sees the entries this run may have missed.
    """
    cache.delete(_queued_key(question_id))
    question = unresolved_forecast_questions().filter(pk=question_id).first()
    if question is None:
        return 0
    now = now or timezone.now()
    until = now - timedelta(seconds=settings.COMMUNITY_GRACE_SECONDS)
    return extend_community_series(question=question, until=until)


def freeze_closed_questions(*, now: datetime | None = None) -> list[Question]:
    """Store the community series up to the close of questions closed since last run.

    Nobody is notified: closing needs no news. A close is handled once its
    grace period has passed; entries still committing are counted anyway,
    because extend_community_series works under the question's lock. Return
    the questions frozen.
    """
    end = (now or timezone.now()) - timedelta(seconds=settings.COMMUNITY_GRACE_SECONDS)
    start = cache.get(FROZEN_MARK) or end - FIRST_LOOKBACK
    closed = list(questions_closed_between(start, end))
    for question in closed:
        extend_community_series(question=question, until=question.close_time)
    cache.set(FROZEN_MARK, end, None)
    return closed
