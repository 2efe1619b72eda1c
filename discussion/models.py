"""Comments on questions: Markdown text, one level of replies, soft deletion."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from forecasts.models import Question

MAX_BODY = 10_000


class Comment(models.Model):
    """A comment, or a reply to one; deleting it empties it and keeps its replies."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    body = models.TextField(
        blank=True, validators=[MaxLengthValidator(MAX_BODY)], help_text="Markdown."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["question", "created_at"])]

    def __str__(self):
        return f"comment {self.pk} on {self.question_id}"

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class CommentEmail(models.Model):
    """The claim of one e-mail about a staff comment, inserted before sending.

    The unique constraint sends each forecaster at most one e-mail per comment
    however often the task is redelivered (as forecasts' Notification does).
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="comment_email_once"
            )
        ]

    def __str__(self):
        return f"comment {self.comment_id} e-mail to {self.user_id}"
