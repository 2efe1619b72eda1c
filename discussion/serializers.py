"""Comment API input (strict JSON) and output."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from discussion.models import MAX_BODY
from discussion.selectors import ORDERS, author_forecast
from forecasts import markdown
from forecasts.api.fields import (
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
    Timestamp,
    iso_utc,
)
from forecasts.api.serializers import MarketOutput, vector_body


class CommentQuery(serializers.Serializer):
    order = serializers.ChoiceField(
        choices=list(ORDERS), default="oldest", help_text="oldest or newest first."
    )


class CommentInput(StrictSerializer):
    body = StrictCharField(max_length=MAX_BODY, help_text="Markdown.")
    parent = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The id of the top-level comment this replies to.",
    )


class CommentEditInput(StrictSerializer):
    body = StrictCharField(max_length=MAX_BODY, help_text="Markdown.")


class CommentOutput(serializers.Serializer):
    """A comment; a deleted one keeps its place and loses its text and author."""

    id = serializers.IntegerField()
    username = serializers.CharField(allow_null=True)
    body = serializers.CharField(help_text="Markdown, as written.")
    html = serializers.CharField(help_text="The body rendered and sanitised.")
    parent = serializers.IntegerField(allow_null=True)
    created_at = Timestamp()
    edited_at = Timestamp(allow_null=True)
    deleted = serializers.BooleanField()
    author_forecast = serializers.SerializerMethodField()

    @extend_schema_field(
        MarketOutput(
            allow_null=True,
            help_text="Null until the question is resolved or annulled; then the "
            "author's standing forecast when they commented (null if none): "
            '`{"probabilities": [...]}`, or `{"cdf", "quantiles"}` on numeric '
            "and date questions.",
        )
    )
    def get_author_forecast(self, comment):
        vector = author_forecast(comment)
        return None if vector is None else vector_body(comment.question, vector)

    def to_representation(self, comment) -> dict:
        return {
            "id": comment.pk,
            "username": None if comment.deleted else comment.author.username,
            "body": comment.body,
            "html": markdown.render(comment.body) if comment.body else "",
            "parent": comment.parent_id,
            "created_at": iso_utc(comment.created_at),
            "edited_at": comment.edited_at and iso_utc(comment.edited_at),
            "deleted": comment.deleted,
            "author_forecast": self.get_author_forecast(comment),
        }
