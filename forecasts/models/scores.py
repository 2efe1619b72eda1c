"""Scores of resolution versions, the community series and cache counters."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecasts.models.ledger import Entry, ResolutionEvent
from forecasts.models.questions import Question


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
    # The final forecast's vector (bp) of a categorical question; [] for a
    # numeric or date one, whose CDF is read from final_entry.
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
