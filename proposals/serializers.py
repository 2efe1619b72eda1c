"""Proposal API input (the question fields of POST /api/questions/) and output."""

from rest_framework import serializers

from forecasts.api.fields import (
    StrictCharField,
    StrictDateTimeField,
    StrictSerializer,
    Timestamp,
)
from forecasts.api.serializers import MAX_TEXT, QuestionInput
from forecasts.models import Kind
from proposals.models import Proposal

PROPOSABLE_KINDS = [Kind.BINARY, Kind.MULTIPLE_CHOICE]


class ProposalInput(QuestionInput):
    """A question's fields, validated as for a new question, without `draft`."""

    draft = None
    open_time = StrictDateTimeField(
        required=False, help_text="Defaults to the moment staff accept it."
    )
    # Proposals are binary or multiple choice; numeric and date questions
    # (issue 12) are created by staff.
    range_min = range_max = scale = None
    open_lower_bound = open_upper_bound = unit = None

    def validate_kind(self, kind):
        if kind not in PROPOSABLE_KINDS:
            raise serializers.ValidationError(
                "Propose a binary or multiple-choice question; staff create "
                "numeric and date questions."
            )
        return kind

    def validate(self, attrs):
        # Unlike QuestionInput, a PATCH sends only some fields.
        if "tags" in attrs:
            attrs["tags"] = sorted(set(attrs["tags"]))
        return attrs


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
    tags = serializers.ListField(child=serializers.CharField())
    open_time = Timestamp(allow_null=True)
    close_time = Timestamp()
    resolve_time = Timestamp(allow_null=True)
    hide_community_until_forecast = serializers.BooleanField()
    created_at = Timestamp()
    decided_at = Timestamp(allow_null=True)
