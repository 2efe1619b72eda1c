"""API queries, and writes (strict: JSON types as sent, unknown fields refused)."""

from rest_framework import serializers

from forecasts.api.continuous import (
    CdfInputField,
    ComponentsInputField,
    QuantilesInputField,
    RangeValueField,
    parse_range,
)
from forecasts.api.fields import (
    ProbabilityField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateTimeField,
    StrictIntegerField,
    StrictSerializer,
    StrictSlugField,
    StrictURLField,
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
