"""Questions, the append-only forecast ledger, resolutions and their scores."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from forecasts.ledger import BP, GENESIS_HASH, MILLION


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
PRACTICE_FIXED = "A question's practice flag is fixed at creation."


class PracticeFlagError(AppendOnlyError):
    """Raised on any attempt to change an existing question's practice flag.

    The flag is what lets remove_demo delete a question's ledger, so it is set
    once, by the practice-set loader, when it creates the question.
    """


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


class LedgerHead(models.Model):
    """The tip of a question's two chains, written with every entry and event.

    Its row is also the per-question lock that keeps each chain linear.
    """

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="head"
    )
    entries = models.PositiveIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_entry_at = models.DateTimeField(null=True, blank=True)
    resolutions = models.PositiveIntegerField(default=0)
    resolution_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    outcome = models.SmallIntegerField(null=True, blank=True)
    annulled = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.question_id}: {self.entries} entries"


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


class Entry(AppendOnlyModel):
    """One forecast in the ledger: a probability vector, hash-chained per question.

    `probabilities_bp` holds whole units of the question's vector_unit: basis
    points per option for binary and multiple choice, and for numeric and date
    questions the CDF F_0…F_200 in millionths. The CDF shares the column (a JSON
    list of 201 integers, about 1.4 kB) because every set-based read already
    carries it: standing forecasts, scoring's COPY, the community, exports,
    backups and verify_ledger. `input` keeps what the forecaster gave (cdf,
    quantiles or components); it is shown, not hashed nor scored.
    """

    # Both keys are the leading column of an index below; a single-column
    # index of their own would only be one more to write per forecast.
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
    )
    sequence = models.PositiveIntegerField()
    probabilities_bp = models.JSONField()
    p_yes_bp = models.PositiveSmallIntegerField(null=True, blank=True)
    input = models.JSONField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    created_at = models.DateTimeField()
    # 128 random bits in the hash, private until resolution, so the hash cannot
    # be opened by guessing the forecast. Null, not "", on entries written
    # before salts: verifiers read a null salt as the old recipe.
    salt = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["question_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "sequence"], name="entry_sequence_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "question", "sequence"])]

    def __str__(self):
        return f"{self.question_id}#{self.sequence}"

    @property
    def probabilities(self) -> list[float]:
        return [bp / BP for bp in self.probabilities_bp]

    @property
    def probability(self) -> float | None:
        return None if self.p_yes_bp is None else self.p_yes_bp / BP


class Standing(models.Model):
    """A user's latest entry on a question: derived from the ledger, kept in step.

    It saves reading the whole ledger to find standing forecasts.
    """

    # question leads both the unique constraint and the index below.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    probabilities_bp = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"], name="standing_question_user_unique"
            )
        ]
        indexes = [models.Index(fields=["question", "sequence"])]

    def __str__(self):
        return f"{self.question_id}/{self.user_id} #{self.sequence}"


class ResolutionEvent(AppendOnlyModel):
    """A resolution, annulment or re-resolution: append-only, hash-chained."""

    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="resolutions"
    )
    version = models.PositiveIntegerField()
    # The option index; for numeric and date questions an Outcome code, with
    # the value resolved (dates as POSIX seconds), null when resolved as
    # "below/above the range" without a value.
    outcome = models.SmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    annulled = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    effective_at = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["question_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "version"], name="resolution_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(annulled=True, outcome__isnull=True)
                | models.Q(annulled=False, outcome__isnull=False),
                name="resolution_outcome_xor_annulled",
            ),
        ]

    def __str__(self):
        return f"{self.question_id} v{self.version}"


class Scoring(models.Model):
    """Marks a resolution version as scored; written with its scores, at once."""

    resolution = models.OneToOneField(
        ResolutionEvent,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="scoring",
    )
    window_end = models.DateTimeField()
    forecasters = models.PositiveIntegerField()
    completed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.resolution_id} scored"


# The per-forecaster results of scoring, as scoring.QuestionScores names them.
SCORE_FIELDS = (
    "entries",
    "brier",
    "time_averaged_brier",
    "relative_brier",
    "log_score",
    "baseline",
    "peer",
    "points",
    "rps",
)
# Numeric and date questions' results besides those (null on other kinds).
CONTINUOUS_SCORE_FIELDS = ("crps", "pit")


class Score(models.Model):
    """One forecaster's scores for one resolution version."""

    # No key here is a database constraint. Scoring writes 100,000 rows at
    # once, and PostgreSQL checks a foreign key row by row at commit (0.3 s
    # per key there, more than writing the rows). Every row a score points at
    # is kept by the ledger itself: resolution events and entries refuse
    # UPDATE and DELETE (the append-only trigger), and an entry's own keys
    # keep its question and forecaster. verify_ledger checks that each score's
    # final entry and resolution exist and are of its question and forecaster.
    # The indexes of resolution and user are the leading columns of the
    # unique constraint and of score_user_current_close; no read looks scores
    # up by final entry.
    resolution = models.ForeignKey(
        ResolutionEvent,
        on_delete=models.CASCADE,
        related_name="scores",
        db_constraint=False,
        db_index=False,
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scores",
        db_constraint=False,
        db_index=False,
    )
    final_entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    entries = models.PositiveIntegerField()
    brier = models.FloatField()
    time_averaged_brier = models.FloatField()
    relative_brier = models.FloatField(null=True)
    log_score = models.FloatField()
    baseline = models.FloatField()
    peer = models.FloatField(null=True)
    points = models.FloatField()
    rps = models.FloatField(null=True)
    # Numeric and date questions only: CRPS and the final forecast's PIT value.
    crps = models.FloatField(null=True)
    pit = models.FloatField(null=True)
    # Copied at scoring so calibration reads this table alone: the question's
    # scheduled close, the end of the scored window (Scoring.window_end), the
    # version's outcome and the final entry's forecast.
    close_time = models.DateTimeField()
    window_end = models.DateTimeField()
    outcome = models.SmallIntegerField()
    final_bp = models.JSONField()
    final_p_yes_bp = models.PositiveSmallIntegerField(null=True)
    # False once a newer resolution version of the question is appended.
    current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "user"], name="score_version_user_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "current", "close_time"],
                name="score_user_current_close",
            )
        ]

    def __str__(self):
        return f"{self.user_id} on {self.resolution_id}"


class CommunityPoint(models.Model):
    """The community forecast C(h) at one boundary h, derived from the ledger."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="community_points"
    )
    time = models.DateTimeField()
    probabilities = models.JSONField()
    forecasters = models.PositiveIntegerField()

    class Meta:
        ordering = ["question_id", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "time"], name="community_point_unique"
            )
        ]

    def __str__(self):
        return f"{self.question_id} at {self.time:%Y-%m-%d %H:%M}"


class PracticeRemoval(AppendOnlyModel):
    """A log line for one removal of the practice set (tag `practice`).

    Removing it is the only deletion of ledger rows the project allows.
    """

    removed_at = models.DateTimeField(default=timezone.now)
    question_slugs = models.JSONField(default=list)
    entries = models.PositiveIntegerField()
    resolutions = models.PositiveIntegerField()
    clarifications = models.PositiveIntegerField()
    users = models.PositiveIntegerField()

    class Meta:
        ordering = ["removed_at", "id"]

    def __str__(self):
        return f"practice set removed {self.removed_at:%Y-%m-%d %H:%M}"


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


class CacheGeneration(models.Model):
    """A counter that cached reads put in their keys, bumped by what they read.

    "scores" moves in the same transaction as any change to which scores are
    current (resolving, scoring); "accounts" with any rename or deletion of an
    account. A cached value is then never read once what it shows has changed.
    """

    SCORES = "scores"
    ACCOUNTS = "accounts"

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} = {self.value}"
