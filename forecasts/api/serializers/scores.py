"""API output of scores, leaderboards and calibration."""

from rest_framework import serializers

from forecasts.api.continuous import ContinuousCalibrationOutput
from forecasts.api.fields import ScoreNumber, Timestamp


class ScoreFields(serializers.Serializer):
    brier = ScoreNumber(help_text="Of the final standing forecast.")
    time_averaged_brier = ScoreNumber()
    relative_brier = ScoreNumber(allow_null=True)
    log_score = ScoreNumber()
    baseline = ScoreNumber()
    peer = ScoreNumber(allow_null=True)
    points = ScoreNumber()
    rps = ScoreNumber(allow_null=True, help_text="Ordered questions only.")
    crps = ScoreNumber(
        allow_null=True,
        help_text="Numeric and date questions: ∫(F − 1{u ≥ u_y})² du (brier = 2·crps).",
    )
    entries = serializers.IntegerField()


class ScoreOutput(ScoreFields):
    username = serializers.CharField(source="user.username")


class UserScoreOutput(ScoreFields):
    question = serializers.CharField(source="question.slug")
    title = serializers.CharField(source="question.title")
    version = serializers.IntegerField(source="resolution.version")
    resolved_at = Timestamp(source="resolution.created_at")


class TotalsOutput(serializers.Serializer):
    questions = serializers.IntegerField()
    mean_brier = ScoreNumber(allow_null=True, help_text="Mean time-averaged Brier.")
    mean_relative_brier = ScoreNumber(allow_null=True)
    points = ScoreNumber()


class PageFields(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class QuestionScoresPage(PageFields):
    state = serializers.ChoiceField(
        choices=["unresolved", "annulled", "pending", "done"]
    )
    version = serializers.IntegerField(allow_null=True)
    results = ScoreOutput(many=True)


class UserScoresPage(PageFields):
    username = serializers.CharField()
    totals = TotalsOutput()
    results = UserScoreOutput(many=True)


class LeaderboardRowOutput(serializers.Serializer):
    username = serializers.CharField(source="user__username")
    questions = serializers.IntegerField()
    mean_brier = ScoreNumber(allow_null=True)
    mean_relative_brier = ScoreNumber(allow_null=True)
    points = ScoreNumber()


class CalibrationBinOutput(serializers.Serializer):
    lower = ScoreNumber()
    upper = ScoreNumber()
    count = serializers.IntegerField()
    mean_forecast = ScoreNumber(allow_null=True)
    observed_frequency = ScoreNumber(allow_null=True)
    ci_low = ScoreNumber(allow_null=True)
    ci_high = ScoreNumber(allow_null=True)


class CalibrationOutput(serializers.Serializer):
    n = serializers.IntegerField()
    mean_squared_error = ScoreNumber(allow_null=True)
    reliability = ScoreNumber(allow_null=True)
    resolution = ScoreNumber(allow_null=True)
    uncertainty = ScoreNumber(allow_null=True)
    within_bin = ScoreNumber(allow_null=True)
    bins = CalibrationBinOutput(many=True)
    continuous = ContinuousCalibrationOutput(
        help_text="Numeric and date questions: PIT histogram and coverage of the "
        "central 50% and 90% intervals of final forecasts."
    )
