"""Post, edit and delete comments; staff comments queue an e-mail to forecasters."""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from discussion.models import Comment
from forecasts.models import Question

logger = logging.getLogger(__name__)

EDIT_WINDOW = timedelta(minutes=15)


def post_comment(
    *, question: Question, author, body: str, parent: int | None = None
) -> Comment:
    """Add a comment, or a reply to a top-level comment of the same question."""
    comment = Comment(
        question=question,
        author=author,
        body=body,
        parent=_parent(question, parent),
        # Read now, not as a field default: the forecast standing at this
        # moment is what the comment shows after resolution.
        created_at=timezone.now(),
    )
    _check_body(comment)
    with transaction.atomic():
        comment.save()
        if author.is_staff:
            transaction.on_commit(lambda: _enqueue_staff_email(comment.pk))
    return comment


def _parent(question: Question, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id, question=question).first()
    if parent is None:
        raise ValidationError({"parent": "No such comment on this question."})
    if parent.parent_id is not None:
        raise ValidationError(
            {"parent": "Replies are one level deep: reply to the comment above."}
        )
    if parent.deleted:
        raise ValidationError({"parent": "That comment was deleted."})
    return parent


def _check_body(comment: Comment) -> None:
    comment.body = comment.body.strip()
    if not comment.body:
        raise ValidationError({"body": "Write something."})
    comment.full_clean(exclude=["question", "author", "parent"])


def edit_comment(*, comment: Comment, user, body: str, now=None) -> Comment:
    """Change the text of one's own comment within EDIT_WINDOW of posting it."""
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author edits a comment.")
    now = now or timezone.now()
    if comment.deleted:
        raise ValidationError({"body": "A deleted comment cannot be edited."})
    if now - comment.created_at > EDIT_WINDOW:
        raise ValidationError(
            {"body": "A comment can be edited for 15 minutes after posting."}
        )
    comment.body = body
    _check_body(comment)
    comment.edited_at = now
    comment.save(update_fields=["body", "edited_at"])
    return comment


def delete_comment(*, comment: Comment, user) -> Comment:
    """Empty a comment, by its author or staff; its replies stay."""
    if comment.author_id != user.pk and not user.is_staff:
        raise PermissionDenied("Only the author or staff delete a comment.")
    if not comment.deleted:
        comment.body = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "deleted_at"])
    return comment


def _enqueue_staff_email(comment_id: int) -> None:
    from discussion.tasks import staff_comment_email_task

    # A broker outage must not fail the comment, already committed.
    try:
        staff_comment_email_task.delay(comment_id)
    except Exception:
        logger.exception("Could not queue e-mails of comment %s", comment_id)
