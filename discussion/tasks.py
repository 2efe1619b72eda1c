"""Celery tasks of the discussion: each wraps one service."""

from celery import shared_task

from discussion.emails import notify_staff_comment
from forecasts.tasks import RETRIED


@shared_task(**RETRIED)
def staff_comment_email_task(comment_id: int) -> int:
    """E-mail a question's forecasters about a staff comment, each at most once."""
    return notify_staff_comment(comment_id=comment_id)
