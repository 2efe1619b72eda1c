"""Questions proposed by forecasters: drafts that staff accept or decline."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from forecasts.models import CONTINUOUS_KINDS, Kind, Question, Scale, Tag


class Proposal(models.Model):
    """A proposed question, seen by its author and staff only.

    Accepting it creates the published question (Proposal.question), which
    credits the author; declining it keeps the reason for the author.
    """

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    STATUSES = [(PENDING, "pending"), (ACCEPTED, "accepted"), (DECLINED, "declined")]

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    resolution_criteria = models.TextField(help_text="Markdown.")
    source_title = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="Tag slugs.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.BINARY)
    options = models.JSONField(default=list, blank=True)
    ordered = models.BooleanField(default=False)
    # Numeric and date questions (as on Question): the range, its scale,
    # whether each bound is open, and the unit.
    range_min = models.FloatField(null=True, blank=True)
    range_max = models.FloatField(null=True, blank=True)
    scale = models.CharField(max_length=10, choices=Scale, default=Scale.LINEAR)
    open_lower_bound = models.BooleanField(default=False)
    open_upper_bound = models.BooleanField(default=False)
    unit = models.CharField(max_length=60, blank=True)
    open_time = models.DateTimeField(
        null=True, blank=True, help_text="Empty: opens when accepted."
    )
    close_time = models.DateTimeField()
    resolve_time = models.DateTimeField(
        null=True, blank=True, help_text="Empty: the close time."
    )
    hide_community_until_forecast = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=STATUSES, default=PENDING, editable=False
    )
    decline_reason = models.TextField(blank=True, editable=False)
    question = models.OneToOneField(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="proposal",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    # As on Question, so that the question's range filters read a proposal.
    @property
    def is_continuous(self) -> bool:
        return self.kind in CONTINUOUS_KINDS

    @property
    def is_date(self) -> bool:
        return self.kind == Kind.DATE

    QUESTION_FIELDS = (
        "slug",
        "title",
        "body",
        "resolution_criteria",
        "source_title",
        "source_url",
        "kind",
        "options",
        "ordered",
        "range_min",
        "range_max",
        "scale",
        "open_lower_bound",
        "open_upper_bound",
        "unit",
        "open_time",
        "close_time",
        "resolve_time",
        "hide_community_until_forecast",
    )

    def as_question(self, now=None) -> Question:
        """Return the unsaved question this proposal would publish now."""
        fields = {name: getattr(self, name) for name in self.QUESTION_FIELDS}
        fields["open_time"] = fields["open_time"] or now or timezone.now()
        fields["resolve_time"] = fields["resolve_time"] or fields["close_time"]
        fields["options"] = list(fields["options"] or [])
        return Question(**fields)

    def clean(self):
        """Validate as POST /api/questions/ would: the question's own rules."""
        question = self.as_question()
        try:
            question.full_clean(exclude=["tags"])
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        self.options = question.options
        errors = tag_errors(self.tags)
        if errors:
            raise ValidationError({"tags": errors})


def tag_errors(tags) -> list[str]:
    """Return what is wrong with a list of tag slugs, as the question service says."""
    if not isinstance(tags, list):
        return ["Give a list of tag slugs."]
    errors = []
    for slug in tags:
        try:
            Tag(slug=slug).clean_fields()
        except ValidationError as error:
            errors.append(f"{slug!r}: {'; '.join(error.message_dict['slug'])}")
    return errors
