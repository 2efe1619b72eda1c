"""Questions, their tags and their clarifications."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from forecasts.ledger import BP, MILLION
from forecasts.models.base import (
    CONTINUOUS_KINDS,
    PRACTICE_FIXED,
    AppendOnlyModel,
    Kind,
    PracticeFlagError,
    Scale,
    Status,
)

FROZEN_FIELDS = (
    "slug",
    "kind",
    "options",
    "ordered",
    "range_min",
    "range_max",
    "scale",
    "open_lower_bound",
    "open_upper_bound",
)


class QuestionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "practice" in kwargs:
            raise PracticeFlagError(PRACTICE_FIXED)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if "practice" in fields:
            raise PracticeFlagError(PRACTICE_FIXED)
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Tag(models.Model):
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.slug


class Question(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    resolution_criteria = models.TextField(help_text="Markdown.")
    source_title = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.BINARY)
    options = models.JSONField(default=list, blank=True)
    ordered = models.BooleanField(default=False)
    # Numeric and date questions: the range (dates as POSIX seconds), its
    # scale, whether the outcome may fall beyond each bound, and a unit label.
    range_min = models.FloatField(null=True, blank=True)
    range_max = models.FloatField(null=True, blank=True)
    scale = models.CharField(max_length=10, choices=Scale, default=Scale.LINEAR)
    open_lower_bound = models.BooleanField(default=False)
    open_upper_bound = models.BooleanField(default=False)
    unit = models.CharField(max_length=60, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    open_time = models.DateTimeField()
    close_time = models.DateTimeField()
    resolve_time = models.DateTimeField()
    hide_community_until_forecast = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Set only by the practice-set loader, at creation: the one mark that lets
    # remove_demo (and the PostgreSQL trigger) delete a question's ledger.
    # save() and the queryset refuse to change it; on PostgreSQL a trigger
    # (migration 0009) refuses it too.
    practice = models.BooleanField(default=False, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["close_time", "slug"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_practice_change()
        super().save(*args, **kwargs)
        self._stored_practice = self.practice

    @classmethod
    def from_db(cls, db, field_names, values):
        question = super().from_db(db, field_names, values)
        if "practice" in field_names:
            question._stored_practice = values[field_names.index("practice")]
        return question

    def _refuse_practice_change(self) -> None:
        stored = getattr(self, "_stored_practice", None)
        if stored is None:
            # Built by hand with a primary key, or loaded without the flag.
            stored = (
                Question.objects.filter(pk=self.pk)
                .values_list("practice", flat=True)
                .first()
            )
        if stored is not None and stored != self.practice:
            raise PracticeFlagError(PRACTICE_FIXED)

    @property
    def is_binary(self) -> bool:
        return self.kind == Kind.BINARY

    @property
    def is_continuous(self) -> bool:
        return self.kind in CONTINUOUS_KINDS

    @property
    def is_date(self) -> bool:
        return self.kind == Kind.DATE

    @property
    def vector_unit(self) -> int:
        """Return what one stored vector unit is a fraction of: bp or millionths."""
        return MILLION if self.is_continuous else BP

    def axis(self):
        """Return the ContinuousAxis of a numeric or date question."""
        from forecasts.scoring.continuous import ContinuousAxis

        return ContinuousAxis(
            self.range_min,
            self.range_max,
            log=self.scale == Scale.LOG,
            open_lower=self.open_lower_bound,
            open_upper=self.open_upper_bound,
        )

    def clean(self):
        if self.kind == Kind.BINARY and not self.options:
            self.options = ["No", "Yes"]
        errors = {}
        if self.is_continuous:
            errors.update(self._range_errors())
        elif self.kind == Kind.BINARY and self.options != ["No", "Yes"]:
            errors["options"] = 'A binary question has the options ["No", "Yes"].'
        elif not _valid_labels(self.options):
            errors["options"] = "Give at least two distinct, non-empty labels."
        if self.ordered and self.kind != Kind.MULTIPLE_CHOICE:
            errors["ordered"] = "Only multiple-choice questions are ordered."
        for end in ("range_min", "range_max"):
            if not self.is_continuous and getattr(self, end) is not None:
                errors[end] = "Only numeric and date questions have a range."
        if self.open_time and self.close_time and self.close_time <= self.open_time:
            errors["close_time"] = "Must be after the open time."
        if (
            self.close_time
            and self.resolve_time
            and self.resolve_time < self.close_time
        ):
            errors["resolve_time"] = "Must not be before the close time."
        errors.update(self._frozen_field_errors())
        errors.update(self._time_errors())
        if errors:
            raise ValidationError(errors)

    def _range_errors(self) -> dict:
        errors = {}
        if self.options:
            errors["options"] = "Numeric and date questions have no options."
        low, high = self.range_min, self.range_max
        if low is None or not math.isfinite(low):
            errors["range_min"] = "Give the lower end of the range."
        if high is None or not math.isfinite(high):
            errors["range_max"] = "Give the upper end of the range."
        elif low is not None and math.isfinite(low) and high <= low:
            errors["range_max"] = "Must be above range_min."
        if self.scale == Scale.LOG:
            if self.is_date:
                errors["scale"] = "A date question's scale is linear."
            elif low is not None and low <= 0:
                errors["range_min"] = "A log scale needs range_min above 0."
        if self.is_date and self.unit:
            errors["unit"] = "A date question has no unit."
        return errors

    def _time_errors(self) -> dict:
        # Scores are computed over [open, close): once resolved, moving either
        # would leave them computed for another window (re-resolve instead).
        # Before that, the open time may not pass a forecast already made.
        if self._state.adding:
            return {}
        stored = (
            Question.objects.filter(pk=self.pk)
            .annotate(first=models.Min("entries__created_at"))
            .values("open_time", "close_time", "head__resolutions", "first")
            .get()
        )
        if stored["head__resolutions"]:
            return {
                name: "Cannot change once the question is resolved or annulled; "
                "re-resolve to change what is scored."
                for name in ("open_time", "close_time")
                if getattr(self, name) != stored[name]
            }
        if stored["first"] and self.open_time and self.open_time > stored["first"]:
            first = stored["first"].isoformat()
            return {"open_time": f"Cannot be after the first forecast ({first})."}
        return {}

    def _frozen_field_errors(self) -> dict:
        # Every entry's meaning depends on these, so they freeze at the first.
        if self._state.adding or not self.entries.exists():
            return {}
        stored = Question.objects.values(*FROZEN_FIELDS).get(pk=self.pk)
        return {
            name: "Cannot change once the question has forecasts."
            for name in FROZEN_FIELDS
            if getattr(self, name) != stored[name]
        }

    def status(self, now=None) -> str:
        """Return the status derived from publication, times and resolutions."""
        head = getattr(self, "head", None)
        if self.published_at is None:
            return Status.DRAFT
        if head is not None and head.resolutions:
            return Status.ANNULLED if head.annulled else Status.RESOLVED
        now = now or timezone.now()
        if now < self.open_time:
            return Status.UPCOMING
        return Status.OPEN if now < self.close_time else Status.CLOSED


def _valid_labels(options) -> bool:
    if not isinstance(options, list) or len(options) < 2:
        return False
    labels = [label.strip() for label in options if isinstance(label, str)]
    return (
        len(labels) == len(options) and all(labels) and len(set(labels)) == len(labels)
    )


class Clarification(AppendOnlyModel):
    """A dated change of resolution criteria made after the first forecast."""

    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="clarifications"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.question_id} clarified {self.created_at:%Y-%m-%d}"
