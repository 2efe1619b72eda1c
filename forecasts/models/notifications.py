"""E-mail settings and the claims that make each e-mail go out once."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecasts.models.questions import Question


class NotificationSettings(models.Model):
    """Which e-mails a user wants; a user without a row gets every kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    resolution_emails = models.BooleanField(
        "E-mail me when a question I forecast is resolved or annulled", default=True
    )
    reminder_emails = models.BooleanField(
        "Remind me of my forecasts older than 30 days on open questions",
        default=True,
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"{self.user_id} e-mail settings"


class Notification(models.Model):
    """One e-mail's claim, inserted before it is sent.

    The unique constraints let a resolution version notify a user once and a
    standing entry be reminded of once, however often a task is redelivered.
    sent_at stays empty if the sender died between claim and send.
    """

    RESOLUTION = "resolution"
    REMINDER = "reminder"
    KINDS = [(RESOLUTION, "resolution"), (REMINDER, "reminder")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=KINDS)
    # Numbers, not foreign keys: removing the practice set deletes ledger rows
    # with a plain DELETE, which a foreign key to them would block.
    version = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question", "version"],
                condition=models.Q(kind="resolution"),
                name="notification_resolution_once",
            ),
            models.UniqueConstraint(
                fields=["user", "question", "sequence"],
                condition=models.Q(kind="reminder"),
                name="notification_reminder_once",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind="resolution", version__isnull=False, sequence__isnull=True
                )
                | models.Q(
                    kind="reminder", version__isnull=True, sequence__isnull=False
                ),
                name="notification_version_xor_sequence",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.user_id} on {self.question_id}"
