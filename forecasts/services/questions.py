"""Create, edit and publish questions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecasts.models import Clarification, LedgerHead, Question, Tag
from forecasts.services.locking import lock_head


@transaction.atomic
def create_question(
    *, tags=(), publish: bool = True, instance: Question | None = None, **fields
) -> Question:
    """Create a question (from fields or an unsaved instance), published now
    unless publish is False."""
    question = instance or Question(**fields)
    if publish and question.published_at is None:
        question.published_at = timezone.now()
    question.full_clean(exclude=["tags"])
    question.save()
    LedgerHead.objects.create(question=question)
    if tags:
        _set_tags(question, tags)
    return question


@transaction.atomic
def update_question(*, question: Question, tags: list[str] | None = None, **fields):
    """Change a question; after its first entry, criteria changes become clarifications.

    Slug, kind, options and ordered cannot change once an entry exists, the
    open time cannot pass the first entry, and neither time can change once
    the question is resolved or annulled (Question.clean refuses it).
    """
    # The ledger head's lock orders this edit with entries and resolutions,
    # so the time checks in Question.clean see them all.
    lock_head(question.pk)
    locked = Question.objects.select_for_update().get(pk=question.pk)
    has_entries = locked.entries.exists()
    if has_entries:
        criteria = fields.pop("resolution_criteria", locked.resolution_criteria)
        if criteria.strip() != _current_criteria(locked).strip():
            Clarification.objects.create(question=locked, text=criteria)
    for name, value in fields.items():
        setattr(locked, name, value)
    # Scores carry the close time for calibration; it cannot change once
    # there are scores (Question.clean freezes it at resolution).
    locked.full_clean(exclude=["tags"])
    locked.save()
    if tags is not None:
        _set_tags(locked, tags)
    return locked


def publish_question(*, question: Question) -> Question:
    """Publish a draft question now; publishing twice changes nothing."""
    Question.objects.filter(pk=question.pk, published_at__isnull=True).update(
        published_at=timezone.now()
    )
    question.refresh_from_db(fields=["published_at"])
    return question


def _current_criteria(question: Question) -> str:
    latest = question.clarifications.order_by("-created_at", "-id").first()
    return latest.text if latest else question.resolution_criteria


def _set_tags(question: Question, tags) -> None:
    for slug in tags:
        try:
            Tag(slug=slug).clean_fields()
        except ValidationError as error:
            problem = "; ".join(error.message_dict["slug"])
            raise ValidationError({"tags": f"{slug!r}: {problem}"}) from None
    objs = [Tag.objects.get_or_create(slug=slug)[0] for slug in tags]
    question.tags.set(objs)
