"""API input (strict: JSON types as sent, unknown fields refused) and output."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forecasts import continuous
from forecasts.api.continuous import (
    CdfInputField,
    CdfOutputField,
    ComponentsInputField,
    ContinuousCalibrationOutput,
    QuantilesInputField,
    QuantilesOutputField,
    RangeValueField,
    distribution,
    parse_range,
)
from forecasts.api.fields import (
    ProbabilityField,
    ScoreNumber,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateTimeField,
    StrictIntegerField,
    StrictSerializer,
    StrictSlugField,
    StrictURLField,
    Timestamp,
    iso_utc,
)
from forecasts.models import Kind, Outcome, Scale, Status
from forecasts.selectors.calibration import MODES
from forecasts.selectors.questions import LISTED_STATUSES
from forecasts.selectors.scores import LEADERBOARD_ORDER
from forecasts.services.forecasting import MAX_RATIONALE

MAX_TEXT = 20_000

# Queries ---------------------------------------------------------------------


class QuestionQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*LISTED_STATUSES, Status.DRAFT], required=False
    )
    tag = serializers.SlugField(max_length=40, required=False)
    search = serializers.CharField(max_length=200, required=False)


class LeaderboardQuery(serializers.Serializer):
    by = serializers.ChoiceField(choices=list(LEADERBOARD_ORDER), default="brier")
    tag = serializers.SlugField(max_length=40, required=False)
    min_questions = serializers.IntegerField(
        min_value=1, max_value=1_000_000, default=1
    )


class CalibrationQuery(serializers.Serializer):
    tag = serializers.SlugField(max_length=40, required=False)
    mode = serializers.ChoiceField(choices=MODES, default="final")


# Writes ----------------------------------------------------------------------


class QuestionInput(StrictSerializer):
    slug = StrictSlugField(max_length=80)
    title = StrictCharField(max_length=200)
    body = StrictCharField(max_length=MAX_TEXT, help_text="Markdown.")
    resolution_criteria = StrictCharField(max_length=MAX_TEXT, help_text="Markdown.")
    source_title = StrictCharField(max_length=200, required=False, allow_blank=True)
    source_url = StrictURLField(max_length=500, required=False, allow_blank=True)
    kind = StrictChoiceField(choices=Kind.values, default=Kind.BINARY)
    options = serializers.ListField(
        child=StrictCharField(max_length=200),
        max_length=50,
        required=False,
        help_text='Option labels; binary questions are ["No", "Yes"] (the default).',
    )
    ordered = StrictBooleanField(default=False)
    range_min = RangeValueField(
        required=False, help_text="Numeric and date questions: the range's low end."
    )
    range_max = RangeValueField(
        required=False, help_text="Numeric and date questions: the range's high end."
    )
    scale = StrictChoiceField(
        choices=Scale.values,
        default=Scale.LINEAR,
        help_text="Numeric: linear or log (log needs range_min > 0); dates: linear.",
    )
    open_lower_bound = StrictBooleanField(
        default=False, help_text="Whether the outcome may fall below the range."
    )
    open_upper_bound = StrictBooleanField(
        default=False, help_text="Whether the outcome may fall above the range."
    )
    unit = StrictCharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text='Numeric questions: a label such as "tokens"; empty for dates.',
    )
    tags = serializers.ListField(
        child=StrictSlugField(max_length=40), max_length=20, default=list
    )
    open_time = StrictDateTimeField()
    close_time = StrictDateTimeField()
    resolve_time = StrictDateTimeField(
        required=False, help_text="Defaults to the close time."
    )
    hide_community_until_forecast = StrictBooleanField(default=False)
    draft = StrictBooleanField(
        default=False, help_text="Create unpublished; otherwise published at once."
    )

    def validate(self, attrs):
        if "resolve_time" not in attrs:
            attrs["resolve_time"] = attrs["close_time"]
        attrs["tags"] = sorted(set(attrs["tags"]))
        if attrs.get("kind") in (Kind.NUMERIC, Kind.DATE):
            attrs.setdefault("options", [])
        return parse_range(attrs.get("kind", Kind.BINARY), attrs)


class QuestionUpdateInput(QuestionInput):
    """The fields to change (staff); those left out keep their values.

    Publishing has its own endpoint. Times cannot move past the first
    forecast, nor at all once the question is resolved or annulled.
    """

    draft = None

    def validate(self, attrs):
        if "tags" in attrs:
            attrs["tags"] = sorted(set(attrs["tags"]))
        kind = attrs.get("kind", self.context["question"].kind)
        return parse_range(kind, attrs)


class ForecastInput(StrictSerializer):
    probability = ProbabilityField(
        required=False, help_text="Binary questions: P(yes), 0.001..0.999."
    )
    probabilities = serializers.ListField(
        child=ProbabilityField(),
        min_length=2,
        max_length=50,
        required=False,
        help_text="Multiple choice: one per option, summing to 1.",
    )
    cdf = CdfInputField(required=False)
    quantiles = QuantilesInputField(required=False)
    components = ComponentsInputField(required=False)
    rationale = StrictCharField(
        max_length=MAX_RATIONALE,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
    )


class ResolveInput(StrictSerializer):
    outcome = StrictCharField(
        required=False,
        help_text="The label of the option that happened; numeric and date "
        'questions: "below the range" or "above the range" where that bound is '
        "open (or send value).",
    )
    value = RangeValueField(
        required=False,
        help_text="Numeric and date questions: the outcome, a number or an ISO "
        "datetime; beyond an open bound it resolves below or above the range.",
    )
    annulled = StrictBooleanField(default=False)
    note = StrictCharField(max_length=MAX_TEXT, required=False, default="")
    source_url = StrictURLField(max_length=500, required=False, default="")
    effective_at = StrictDateTimeField(
        required=False, help_text="When the outcome became known; defaults to now."
    )
    re_resolve = StrictBooleanField(default=False)
    expected_version = StrictIntegerField(
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text="Refuse with 409 unless this is the latest resolution version.",
    )

    def validate_outcome(self, label):
        question = self.context["question"]
        if question.is_continuous:
            labels = {Outcome.BELOW.label: Outcome.BELOW, Outcome.ABOVE.label: 2}
            if label not in labels:
                raise serializers.ValidationError(
                    'Send value, or "below the range" or "above the range".'
                )
            return int(labels[label])
        options = question.options
        if label not in options:
            raise serializers.ValidationError(f"Choose one of: {', '.join(options)}.")
        return options.index(label)


# Output ----------------------------------------------------------------------


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


# Ledger documents (described for OpenAPI; the export views build them) -------


class LedgerEntryOutput(serializers.Serializer):
    question = serializers.CharField(help_text="The question's slug.")
    sequence = serializers.IntegerField()
    user = serializers.IntegerField(help_text="The user id the hash covers.")
    username = serializers.CharField()
    probabilities = serializers.ListField(
        child=serializers.CharField(),
        help_text='Exactly as hashed: 4-decimal strings, ["0.2800", "0.7200"].',
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
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class LedgerEventOutput(serializers.Serializer):
    question = serializers.CharField()
    version = serializers.IntegerField()
    outcome = serializers.IntegerField(
        allow_null=True, help_text="The option's index; null when annulled."
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


class QuestionLedgerOutput(LedgerExportOutput):
    question = LedgerQuestionOutput()
    head = LedgerHeadDocument()
    community = LedgerPointOutput(many=True)
    scoring = LedgerScoringOutput()
    scores = LedgerScoreOutput(many=True)
