"""Question states and kinds, and the append-only rule of ledger rows."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    RESOLVED = "resolved"
    ANNULLED = "annulled"


class Kind(models.TextChoices):
    BINARY = "binary"
    MULTIPLE_CHOICE = "multiple_choice", "multiple choice"
    NUMERIC = "numeric"
    DATE = "date"


CONTINUOUS_KINDS = (Kind.NUMERIC, Kind.DATE)


class Scale(models.TextChoices):
    LINEAR = "linear"
    LOG = "log"


class Outcome(models.IntegerChoices):
    """A numeric or date question's outcome code (categorical: the option index)."""

    BELOW = 0, "below the range"
    INSIDE = 1, "inside the range"
    ABOVE = 2, "above the range"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a ledger row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


PRACTICE_FIXED = "A question's practice flag is fixed at creation."


class PracticeFlagError(AppendOnlyError):
    """Raised on any attempt to change an existing question's practice flag.

    The flag is what lets remove_demo delete a question's ledger, so it is set
    once, by the practice-set loader, when it creates the question.
    """
