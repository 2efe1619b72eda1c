"""The ledger documents of the exports, described for OpenAPI (the views build them)."""

from rest_framework import serializers

from forecasts.api.fields import ScoreNumber
from forecasts.api.serializers import ScoreFields
from forecasts.models import Kind, Scale


class LedgerEntryOutput(serializers.Serializer):
    question = serializers.CharField(help_text="The question's slug.")
    sequence = serializers.IntegerField()
    user = serializers.IntegerField(help_text="The user id the hash covers.")
    username = serializers.CharField()
    probabilities = serializers.ListField(
        child=serializers.CharField(),
        help_text='Exactly as hashed: 4-decimal strings, ["0.2800", "0.7200"]; '
        "numeric and date questions: the 201-point CDF as 6-decimal strings.",
    )
    rationale = serializers.CharField()
    created_at = serializers.CharField(
        help_text="Exactly as hashed: YYYY-MM-DDTHH:MM:SS.ffffffZ."
    )
    salted = serializers.BooleanField(
        help_text="Whether the hash covers a salt; false on entries made "
        "before salts (the old recipe)."
    )
    salt = serializers.CharField(
        allow_null=True,
        help_text="32 hex characters, hashed under the key salt. Null when "
        "unsalted, or when another user's salt is still private (the question "
        "is not resolved or annulled).",
    )
    input = serializers.JSONField(
        allow_null=True,
        help_text="Numeric and date questions: the cdf, quantiles or components "
        "given. Not hashed.",
    )
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class LedgerEventOutput(serializers.Serializer):
    question = serializers.CharField()
    version = serializers.IntegerField()
    outcome = serializers.IntegerField(
        allow_null=True,
        help_text="The option's index; numeric and date questions 0 below the "
        "range, 1 inside, 2 above; null when annulled.",
    )
    value = serializers.CharField(
        allow_null=True,
        help_text="Numeric and date questions: the value resolved (dates in "
        "POSIX seconds) as Python's repr of the float; hashed under the key "
        "value only when not null.",
    )
    annulled = serializers.BooleanField()
    note = serializers.CharField()
    source_url = serializers.CharField()
    effective_at = serializers.CharField()
    created_at = serializers.CharField()
    resolved_by = serializers.IntegerField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class LedgerExportOutput(serializers.Serializer):
    entries = LedgerEntryOutput(many=True)
    resolutions = LedgerEventOutput(many=True)


class LedgerQuestionOutput(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.values)
    options = serializers.ListField(child=serializers.CharField())
    ordered = serializers.BooleanField()
    range_min = serializers.FloatField(
        allow_null=True, help_text="Numeric and date (POSIX seconds) questions."
    )
    range_max = serializers.FloatField(allow_null=True)
    scale = serializers.ChoiceField(choices=Scale.values)
    open_lower_bound = serializers.BooleanField()
    open_upper_bound = serializers.BooleanField()
    unit = serializers.CharField()
    open_time = serializers.CharField()
    close_time = serializers.CharField()
    community_step_seconds = serializers.IntegerField()


class LedgerHeadDocument(serializers.Serializer):
    entries = serializers.IntegerField()
    entry_hash = serializers.CharField()
    resolutions = serializers.IntegerField()
    resolution_hash = serializers.CharField()


class LedgerPointOutput(serializers.Serializer):
    time = serializers.CharField()
    probabilities = serializers.ListField(child=serializers.FloatField())
    forecasters = serializers.IntegerField()


class LedgerScoringOutput(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(
        choices=["unresolved", "annulled", "pending", "done"]
    )


class LedgerScoreOutput(ScoreFields):
    user = serializers.IntegerField()
    username = serializers.CharField()
    pit = ScoreNumber(
        allow_null=True, help_text="Numeric and date questions: F(u_y) of the final."
    )


class QuestionLedgerOutput(LedgerExportOutput):
    question = LedgerQuestionOutput()
    head = LedgerHeadDocument()
    community = LedgerPointOutput(many=True)
    scoring = LedgerScoringOutput()
    scores = LedgerScoreOutput(many=True)
