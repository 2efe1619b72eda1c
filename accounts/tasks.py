"""Celery tasks of accounts: each wraps one service."""

from smtplib import SMTPException

from celery import shared_task

from accounts import services


@shared_task(
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    max_retries=3,
)
def send_password_reset_task(email: str, domain: str, use_https: bool) -> None:
    """Send the reset e-mail off the request, so its timing tells nothing."""
    services.send_password_reset(email=email, domain=domain, use_https=use_https)
