"""Celery tasks of proposals: each wraps one service."""

from celery import shared_task

from forecasts.tasks import RETRIED
from proposals.emails import send_decline_email


@shared_task(**RETRIED)
def decline_email_task(proposal_id: int) -> bool:
    """E-mail the author of a declined proposal the reason."""
    return send_decline_email(proposal_id=proposal_id)
