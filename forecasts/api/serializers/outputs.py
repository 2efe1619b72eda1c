"""API output of questions, ledger entries and community forecasts."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forecasts import continuous
from forecasts.api.continuous import (
    CdfOutputField,
    QuantilesOutputField,
    RangeValueField,
    distribution,
)
from forecasts.api.fields import Timestamp, iso_utc
from forecasts.models import Kind, Outcome, Scale, Status


class RoundedFloatField(serializers.FloatField):
    """A float shown to 6 decimals: 0.3, not 0.30000000000000004."""

    def to_representation(self, value):
        return round(float(value), 6)


class CommunityOutput(serializers.Serializer):
    probabilities = serializers.ListField(
        child=RoundedFloatField(),
        required=False,
        help_text="Binary and multiple choice: one per option.",
    )
    cdf = CdfOutputField(required=False, help_text="Numeric and date questions.")
    quantiles = QuantilesOutputField(required=False)
    forecasters = serializers.IntegerField()


class MarketOutput(serializers.Serializer):
    probabilities = serializers.ListField(child=RoundedFloatField(), required=False)
    cdf = CdfOutputField(required=False, help_text="Numeric and date questions.")
    quantiles = QuantilesOutputField(required=False)


def vector_body(question, vector) -> dict:
    """Return a forecast as {"probabilities"}, or {"cdf", "quantiles"} (continuous)."""
    if question.is_continuous:
        return distribution(question, vector)
    return {"probabilities": vector}


class ResolutionOutput(serializers.Serializer):
    outcome = serializers.CharField(
        allow_null=True,
        help_text='The option label; numeric and date questions: "below the '
        'range", "inside the range" or "above the range".',
    )
    value = RangeValueField(
        allow_null=True, help_text="Numeric and date questions: the value resolved."
    )
    annulled = serializers.BooleanField()
    version = serializers.IntegerField()
    note = serializers.CharField()
    source_url = serializers.CharField()
    resolved_at = Timestamp()
    effective_at = Timestamp()
    scoring = serializers.ChoiceField(choices=["pending", "done"])


class LedgerHeadOutput(serializers.Serializer):
    entries = serializers.IntegerField()
    hash = serializers.CharField()


class QuestionOutput(serializers.Serializer):
    """A question as one user sees it: a QuestionRow plus its latest resolution."""

    slug = serializers.CharField(source="question.slug")
    title = serializers.CharField(source="question.title")
    body = serializers.CharField(source="question.body")
    resolution_criteria = serializers.CharField(source="question.resolution_criteria")
    source_title = serializers.CharField(source="question.source_title")
    source_url = serializers.CharField(source="question.source_url")
    kind = serializers.ChoiceField(choices=Kind.values, source="question.kind")
    options = serializers.ListField(
        child=serializers.CharField(), source="question.options"
    )
    ordered = serializers.BooleanField(source="question.ordered")
    range_min = serializers.SerializerMethodField()
    range_max = serializers.SerializerMethodField()
    scale = serializers.ChoiceField(choices=Scale.values, source="question.scale")
    open_lower_bound = serializers.BooleanField(source="question.open_lower_bound")
    open_upper_bound = serializers.BooleanField(source="question.open_upper_bound")
    unit = serializers.CharField(source="question.unit")
    tags = serializers.SerializerMethodField()
    open_time = Timestamp(source="question.open_time")
    close_time = Timestamp(source="question.close_time")
    resolve_time = Timestamp(source="question.resolve_time")
    hide_community_until_forecast = serializers.BooleanField(
        source="question.hide_community_until_forecast"
    )
    status = serializers.ChoiceField(choices=Status.values)
    community = serializers.SerializerMethodField()
    market = serializers.SerializerMethodField()
    my_forecast = serializers.SerializerMethodField()
    resolution = serializers.SerializerMethodField()
    ledger_head = serializers.SerializerMethodField()
    proposed_by = serializers.SerializerMethodField()

    def get_tags(self, row) -> list[str]:
        return [tag.slug for tag in row.question.tags.all()]

    @extend_schema_field(RangeValueField(allow_null=True))
    def get_range_min(self, row):
        return continuous.api_value(row.question, row.question.range_min)

    @extend_schema_field(RangeValueField(allow_null=True))
    def get_range_max(self, row):
        return continuous.api_value(row.question, row.question.range_max)

    @extend_schema_field(CommunityOutput(allow_null=True))
    def get_community(self, row):
        if row.community is None:
            return None
        body = vector_body(row.question, row.community.probabilities)
        return CommunityOutput({**body, "forecasters": row.community.forecasters}).data

    @extend_schema_field(MarketOutput(allow_null=True))
    def get_market(self, row):
        if row.market is None:
            return None
        return MarketOutput(vector_body(row.question, row.market)).data

    @extend_schema_field(MarketOutput(allow_null=True, help_text="Yours, if any."))
    def get_my_forecast(self, row):
        if row.own is None:
            return None
        return MarketOutput(vector_body(row.question, row.own)).data

    @extend_schema_field(ResolutionOutput(allow_null=True))
    def get_resolution(self, row):
        event = self.context["resolutions"].get(row.question.pk)
        if event is None:
            return None
        data = {
            "outcome": outcome_label(row.question, event.outcome),
            "value": continuous.api_value(row.question, event.value),
            "annulled": event.annulled,
            "version": event.version,
            "note": event.note,
            "source_url": event.source_url,
            "resolved_at": event.created_at,
            "effective_at": event.effective_at,
            "scoring": "done" if hasattr(event, "scoring") else "pending",
        }
        return ResolutionOutput(data).data

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="Who proposed it, if it began as a proposal."
        )
    )
    def get_proposed_by(self, row):
        return self.context.get("proposers", {}).get(row.question.pk)

    @extend_schema_field(LedgerHeadOutput)
    def get_ledger_head(self, row):
        head = row.question.head
        return {"entries": head.entries, "hash": head.entry_hash}


def outcome_label(question, outcome) -> str | None:
    """Return an outcome as the API names it: the option, or where the value fell."""
    if outcome is None:
        return None
    if question.is_continuous:
        return Outcome(outcome).label
    return question.options[outcome]


class EntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField(source="question.slug")
    username = serializers.CharField(source="user.username")
    user_id = serializers.IntegerField()
    probabilities = serializers.ListField(child=serializers.FloatField())
    probability = serializers.FloatField(
        allow_null=True, help_text="P(yes); null on multiple choice."
    )
    cdf = CdfOutputField(
        allow_null=True, help_text="Numeric and date questions: the stored CDF."
    )
    input = serializers.JSONField(
        allow_null=True,
        help_text="Numeric and date questions: the cdf, quantiles or components "
        "given (not hashed, not scored).",
    )
    rationale = serializers.CharField()
    created_at = Timestamp()
    sequence = serializers.IntegerField()
    salt = serializers.CharField(
        allow_null=True,
        help_text="Hashed with the entry; yours alone until the question "
        "resolves. Null on entries made before salts.",
    )
    hash = serializers.CharField()
    previous_hash = serializers.CharField(source="prev_hash")

    def to_representation(self, entry) -> dict:
        # The declared fields, filled in directly: DRF's field-by-field copy and
        # lookup cost more than the rest of the response, on every forecast POST.
        unit = entry.question.vector_unit
        cdf = None
        if entry.question.is_continuous:
            cdf = [m / unit for m in entry.probabilities_bp]
        return {
            "id": entry.id,
            "question": entry.question.slug,
            "username": entry.user.username,
            "user_id": entry.user_id,
            "probabilities": cdf or entry.probabilities,
            "probability": entry.probability,
            "cdf": cdf,
            "input": entry.input,
            "rationale": entry.rationale,
            "created_at": iso_utc(entry.created_at),
            "sequence": entry.sequence,
            "salt": entry.salt,
            "hash": entry.hash,
            "previous_hash": entry.prev_hash,
        }


class CommunityPointOutput(serializers.Serializer):
    time = Timestamp()
    probabilities = serializers.ListField(
        child=RoundedFloatField(), help_text="Numeric and date questions: the CDF."
    )
    quantiles = serializers.SerializerMethodField()
    forecasters = serializers.IntegerField()

    @extend_schema_field(QuantilesOutputField(allow_null=True))
    def get_quantiles(self, point):
        question = self.context.get("question")
        if question is None or not question.is_continuous:
            return None
        return continuous.api_quantiles(question, point.probabilities)
