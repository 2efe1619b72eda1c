"""API fields and shapes of numeric and date questions."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forecasts import continuous
from forecasts.api.fields import ScoreNumber

VALUE_SCHEMA = {
    "oneOf": [{"type": "number"}, {"type": "string", "format": "date-time"}],
    "description": "A number; for date questions an ISO 8601 datetime.",
}
NULLABLE_VALUE_SCHEMA = {**VALUE_SCHEMA, "nullable": True}
CDF_SCHEMA = {
    "type": "array",
    "items": {"type": "number", "minimum": 0, "maximum": 1},
    "minItems": 201,
    "maxItems": 201,
    "description": "F_0…F_200 = P(X ≤ x_i) on the grid u_i = i/200 of the "
    "scaled axis, 6 decimals.",
}
QUANTILES_SCHEMA = {
    "type": "object",
    "properties": {
        level: NULLABLE_VALUE_SCHEMA
        for level in ("0.05", "0.25", "0.5", "0.75", "0.95")
    },
    "description": "The 5th, 25th, 50th, 75th and 95th percentiles; null when "
    "the percentile lies beyond an open bound.",
}


@extend_schema_field(NULLABLE_VALUE_SCHEMA)
class RangeValueField(serializers.Field):
    """A number, or an ISO datetime on date questions; checked with the kind."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | Decimal | str):
            raise serializers.ValidationError("Enter a number or an ISO datetime.")
        return float(data) if isinstance(data, Decimal) else data

    def to_representation(self, value):
        return value


@extend_schema_field(
    {
        **CDF_SCHEMA,
        "description": "Numeric and date questions: 201 numbers F_0…F_200, "
        "nondecreasing by at least 0.00005 a step; F_0 = 0 (closed lower "
        "bound) or ≥ 0.001, F_200 = 1 (closed upper bound) or ≤ 0.999.",
    }
)
class CdfInputField(serializers.Field):
    def to_internal_value(self, data):
        return data


@extend_schema_field(
    {
        "type": "array",
        "minItems": 2,
        "maxItems": 7,
        "items": {
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": VALUE_SCHEMA,
        },
        "example": [[0.1, 65536], [0.5, 131072], [0.9, 1048576]],
        "description": "Numeric and date questions: 2 to 7 [p, x] pairs, p and "
        "x strictly increasing (x an ISO datetime for dates).",
    }
)
class QuantilesInputField(serializers.Field):
    def to_internal_value(self, data):
        return data


@extend_schema_field(
    {
        "type": "array",
        "minItems": 1,
        "maxItems": 3,
        "items": {
            "type": "object",
            "properties": {
                "center": VALUE_SCHEMA,
                "spread": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                "weight": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
            },
            "required": ["center", "spread", "weight"],
        },
        "description": "Numeric and date questions: 1 to 3 logistic components "
        "on the scaled axis (spread in scaled units, weights normalised).",
    }
)
class ComponentsInputField(serializers.Field):
    def to_internal_value(self, data):
        return data


@extend_schema_field(CDF_SCHEMA)
class CdfOutputField(serializers.Field):
    def to_representation(self, value):
        return value


@extend_schema_field(QUANTILES_SCHEMA)
class QuantilesOutputField(serializers.Field):
    def to_representation(self, value):
        return value


class DistributionOutput(serializers.Serializer):
    """A CDF with its quantiles (numeric and date questions)."""

    cdf = CdfOutputField()
    quantiles = QuantilesOutputField()


def distribution(question, cdf) -> dict:
    """Return {"cdf", "quantiles"} of a CDF given as floats."""
    return {
        "cdf": [round(float(p), 6) for p in cdf],
        "quantiles": continuous.api_quantiles(question, cdf),
    }


def parse_range(question_kind: str, attrs: dict) -> dict:
    """Return attrs with range_min/range_max as floats (dates: POSIX seconds)."""
    is_date = question_kind == "date"
    errors = {}
    for name in ("range_min", "range_max"):
        raw = attrs.get(name)
        if raw is None:
            continue
        if is_date != isinstance(raw, str):
            expected = "an ISO datetime" if is_date else "a number"
            errors[name] = f"Enter {expected} for a {question_kind} question."
            continue
        try:
            attrs[name] = continuous.parse_kind_value(is_date, raw)
        except continuous.InvalidValue as error:
            errors[name] = str(error)
    if errors:
        raise serializers.ValidationError(errors)
    return attrs


class PitBinOutput(serializers.Serializer):
    lower = ScoreNumber()
    upper = ScoreNumber()
    count = serializers.IntegerField()


class ContinuousCalibrationOutput(serializers.Serializer):
    """PIT histogram and interval coverage of final numeric and date forecasts."""

    n = serializers.IntegerField()
    pit_bins = PitBinOutput(many=True)
    coverage_50 = ScoreNumber(
        allow_null=True, help_text="Share of PIT values in [0.25, 0.75]."
    )
    coverage_90 = ScoreNumber(
        allow_null=True, help_text="Share of PIT values in [0.05, 0.95]."
    )


def continuous_calibration_body(pit) -> dict:
    return {
        "n": pit.n,
        "pit_bins": [
            {"lower": b.lower, "upper": b.upper, "count": b.count} for b in pit.bins
        ],
        "coverage_50": pit.coverage_50,
        "coverage_90": pit.coverage_90,
    }
