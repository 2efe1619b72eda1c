"""The append-only forecast ledger: entries, resolutions and their chain heads."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecasts.ledger import BP, GENESIS_HASH
from forecasts.models.base import AppendOnlyModel
from forecasts.models.questions import Question


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
    # The newest entry's vector on a binary or multiple-choice question: the
    # market state the next entry's running sums follow (Standing.sums). On
    # this locked row, because a write waiting for the lock reads the row as
    # the previous writer left it, but every other row as it was before.
    last_vector = models.JSONField(null=True, blank=True)
    resolutions = models.PositiveIntegerField(default=0)
    resolution_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    outcome = models.SmallIntegerField(null=True, blank=True)
    annulled = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.question_id}: {self.entries} entries"


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
    # The running sums a resolution is scored from, kept by submit_forecast
    # for binary and multiple-choice questions: float64 values, little-endian
    # (layout: forecasts.scoring.running.pack). Binary, so that scoring reads
    # 100,000 rows in one COPY with nothing to parse. Null where an entry
    # reached the ledger another way: scoring then reads the whole ledger, as
    # it does for every question whose sums do not add up.
    sums = models.BinaryField(null=True, blank=True)

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
