"""Proposal API input (the question fields of POST /api/questions/) and output."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forecasts import continuous
from forecasts.api.continuous import RangeValueField, parse_range
from forecasts.api.fields import (
    StrictCharField,
    StrictDateTimeField,
    StrictSerializer,
    Timestamp,
)
from forecasts.api.serializers import MAX_TEXT, QuestionInput
from forecasts.models import Kind
from proposals.models import Proposal


class ProposalInput(QuestionInput):
    """A question's fields, validated as for a new question, without `draft`."""

    draft = None
    open_time = StrictDateTimeField(
        required=False, help_text="Defaults to the moment staff accept it."
    )

    def validate(self, attrs):
        # Unlike QuestionInput, a PATCH sends only some fields; its range is
        # read by the proposal's kind unless it changes the kind too.
        if "tags" in attrs:
            attrs["tags"] = sorted(set(attrs["tags"]))
        kind = attrs.get("kind") or self.context.get("kind", Kind.BINARY)
        return parse_range(kind, attrs)


class DeclineInput(StrictSerializer):
    reason = StrictCharField(max_length=MAX_TEXT, help_text="Told to the author.")


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(source="author.username")
    status = serializers.ChoiceField(choices=[s for s, _ in Proposal.STATUSES])
    decline_reason = serializers.CharField()
    question = serializers.CharField(
        source="question.slug",
        allow_null=True,
        help_text="The published question's slug, once accepted.",
    )
    slug = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    resolution_criteria = serializers.CharField()
    source_title = serializers.CharField()
    source_url = serializers.CharField()
    kind = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())
    ordered = serializers.BooleanField()
    range_min = serializers.SerializerMethodField()
    range_max = serializers.SerializerMethodField()
    scale = serializers.CharField()
    open_lower_bound = serializers.BooleanField()
    open_upper_bound = serializers.BooleanField()
    unit = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    open_time = Timestamp(allow_null=True)
    close_time = Timestamp()
    resolve_time = Timestamp(allow_null=True)
    hide_community_until_forecast = serializers.BooleanField()
    created_at = Timestamp()
    decided_at = Timestamp(allow_null=True)

    @extend_schema_field(RangeValueField(allow_null=True))
    def get_range_min(self, proposal):
        return _range_value(proposal, proposal.range_min)

    @extend_schema_field(RangeValueField(allow_null=True))
    def get_range_max(self, proposal):
        return _range_value(proposal, proposal.range_max)


def _range_value(proposal, value):
    """Return a range end as the API shows it: a number, an ISO datetime, null."""
    if value is None:
        return None
    return continuous.iso(value) if proposal.kind == Kind.DATE else value
