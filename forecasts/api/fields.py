"""Serializer fields that take JSON types as they are, never coerced."""

from datetime import UTC
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses fields it does not know."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field."] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string, not a number or a boolean."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    """Letters, digits, hyphens and underscores, as a JSON string."""


class StrictURLField(StrictCharField, serializers.URLField):
    """A URL, as a JSON string."""


class StrictEmailField(StrictCharField, serializers.EmailField):
    """An e-mail address, as a JSON string."""


class StrictBooleanField(serializers.BooleanField):
    """true or false, not "true", 1 or "yes"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A whole JSON number, not "3", 3.0 or true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices, sent as a JSON string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


def iso_utc(moment) -> str:
    """Return a time as ISO 8601 in UTC with microseconds: …T12:00:00.000000Z."""
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z")


class Timestamp(serializers.DateTimeField):
    """A time shown as ISO 8601 in UTC, always with microseconds."""

    def to_representation(self, value):
        return iso_utc(value)


class StrictDateTimeField(Timestamp):
    """An ISO 8601 string from 1970 on; a time without an offset is taken as UTC."""

    default_error_messages = {"year": "Use a year from 1970 to 9999."}

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|Z]")
        moment = super().to_internal_value(value)
        # The ledger's hash format has four-digit years; before 1970 is a typo.
        if moment.astimezone(UTC).year < 1970:
            self.fail("year")
        return moment


@extend_schema_field(
    {"type": "number", "minimum": 0.001, "maximum": 0.999, "example": 0.72}
)
class ProbabilityField(serializers.Field):
    """A JSON number, passed on as sent; the ledger checks range and decimals."""

    default_error_messages = {"invalid": "Enter a number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | Decimal):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.ANY)
class AnyField(serializers.Field):
    """Passed on unchanged: a service validates it."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


class ScoreNumber(serializers.FloatField):
    """A score or statistic rounded to 9 decimals: 0.1568, not 0.15680000000000002.

    round(x, 9) exactly, so clients compare what they read; the schema says so.
    """

    NOTE = "Rounded to 9 decimals."

    def __init__(self, **kwargs):
        text = kwargs.get("help_text")
        kwargs["help_text"] = f"{text} {self.NOTE}" if text else self.NOTE
        super().__init__(**kwargs)

    def to_representation(self, value):
        return round(float(value), 9)
