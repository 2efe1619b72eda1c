"""Send notification e-mails at most once each, and change e-mail settings.

Delivery is at most once. Each e-mail is claimed by inserting its
Notification row, committed, before it is sent; a unique constraint refuses a
second claim. A redelivered or repeated task therefore skips whatever a run
before it claimed. If the process dies between claim and send, that e-mail is
never sent: its row keeps sent_at empty, a record of the loss. At least once
would need the reverse order, and then a crash after sending would send the
same e-mail again: a missing notice costs less than a duplicate, since the
same news is on the site.
"""

import logging
from collections.abc import Callable
from functools import partial
from itertools import groupby
from operator import attrgetter

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecasts.models import Notification, NotificationSettings
from forecasts.notifications import emails, selectors

logger = logging.getLogger(__name__)

# The claim rows of one e-mail, and how to build it on an open connection.
Claim = tuple[list[Notification], Callable[..., EmailMessage]]


def notify_resolution(*, resolution_id: int) -> int:
    """E-mail every forecaster of a scored resolution version; return how many.

    A version superseded before it is notified is skipped: the newer one tells.
    """
    event = selectors.notifiable_resolution(resolution_id)
    if event is None:
        return 0
    return send_claimed(resolution_claims(event))


def resolution_claims(event) -> list[Claim]:
    """Return one claim per forecaster of the resolution not yet told of it."""
    return [
        (
            [_row(standing, Notification.RESOLUTION, version=event.version)],
            partial(emails.resolution_email, event, standing, score),
        )
        for standing, score in selectors.resolution_recipients(event)
    ]


def send_reminders(*, now=None) -> int:
    """E-mail each user one reminder of their standing forecasts gone stale.

    Return how many e-mails were sent. Each (user, question, standing entry)
    is reminded of once; a newer forecast is a new entry, reminded of in turn.
    """
    stale = selectors.stale_standings(now=now or timezone.now())
    claims = []
    for _, group in groupby(stale, key=attrgetter("user_id")):
        standings = list(group)
        rows = [_row(s, Notification.REMINDER, sequence=s.sequence) for s in standings]
        build = partial(emails.reminder_email, standings[0].user, standings)
        claims.append((rows, build))
    return send_claimed(claims)


def _row(standing, kind: str, **number) -> Notification:
    return Notification(
        user=standing.user, question=standing.question, kind=kind, **number
    )


def send_claimed(claims: list[Claim]) -> int:
    """Send each e-mail whose claim this run wins; return how many were sent.

    The connection opens before any claim, so a mail server that is down
    fails the task with nothing claimed, and its retry sends everything. An
    error while sending leaves that one e-mail claimed and unsent, and fails
    the task: the retry sends the e-mails not yet claimed.
    """
    if not claims:
        return 0
    sent = 0
    with get_connection() as connection:
        for rows, build in claims:
            # Rendered first, so that only the sending itself can fail between
            # claim and sent.
            message = build(connection)
            if not _claim(rows):
                continue
            message.send()
            Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
                sent_at=timezone.now()
            )
            sent += 1
    return sent


def _claim(rows: list[Notification]) -> bool:
    """Insert the claim rows, all or none; return False if one was claimed before."""
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
    except IntegrityError:
        return False
    return True


def save_notification_settings(
    *, user, resolution_emails: bool, reminder_emails: bool
) -> NotificationSettings:
    """Store which e-mails the user wants."""
    chosen, _ = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "resolution_emails": resolution_emails,
            "reminder_emails": reminder_emails,
        },
    )
    return chosen


def unsubscribe(*, user) -> NotificationSettings:
    """Turn off every e-mail to the user."""
    logger.info("User %s unsubscribed from e-mails", user.pk)
    return save_notification_settings(
        user=user, resolution_emails=False, reminder_emails=False
    )
