"""E-mail a question's forecasters when staff comment on it, each at most once.

There is no setting of its own: a new NotificationSettings field would need a
forecasts migration, so the "resolution e-mails" choice decides (a staff
comment is news of a question one forecast, as a resolution is), and the
e-mail's unsubscribe link turns it off with the rest. Delivery is at most
once, claimed before sending, as forecasts.notifications.services explains.
"""

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from discussion.models import Comment, CommentEmail
from forecasts.notifications import emails
from forecasts.notifications.selectors import reachable_standings

SETTING = "resolution_emails"


def notify_staff_comment(*, comment_id: int) -> int:
    """E-mail the forecasters of the comment's question; return how many were sent."""
    comment = (
        Comment.objects.select_related("author", "question")
        .filter(pk=comment_id, deleted_at__isnull=True, author__is_staff=True)
        .first()
    )
    if comment is None:
        return 0
    sent = 0
    recipients = _recipients(comment)
    if not recipients:
        return 0
    with get_connection() as connection:
        for user in recipients:
            message = _message(comment, user, connection)
            if not _claim(comment, user):
                continue
            message.send()
            CommentEmail.objects.filter(comment=comment, user=user).update(
                sent_at=timezone.now()
            )
            sent += 1
    return sent


def _recipients(comment: Comment) -> list:
    told = CommentEmail.objects.filter(comment=comment, user=OuterRef("user"))
    standings = (
        reachable_standings(SETTING)
        .filter(question_id=comment.question_id)
        .exclude(user=comment.author_id)
        .exclude(Exists(told))
        .order_by("user_id")
    )
    return [standing.user for standing in standings]


def _message(comment: Comment, user, connection):
    context = {
        "comment": comment,
        "question": comment.question,
        "question_url": emails.question_url(comment.question)
        + f"#comment-{comment.pk}",
    }
    return emails.email(user, "staff_comment", context, connection)


def _claim(comment: Comment, user) -> bool:
    try:
        with transaction.atomic():
            CommentEmail.objects.create(comment=comment, user=user)
    except IntegrityError:
        return False
    return True
