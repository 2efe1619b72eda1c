"""Comments as the API and the question page show them, privacy rules applied."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from discussion.models import Comment
from discussion.services import EDIT_WINDOW
from forecasts.ledger import BP
from forecasts.models import Entry, Question
from forecasts.scoring.continuous import MILLION
from forecasts.selectors.questions import visible_questions

ORDERS = {"oldest": ("created_at", "id"), "newest": ("-created_at", "-id")}


def visible_comments(user) -> QuerySet:
    """Return the comments on questions this user may see."""
    return Comment.objects.select_related("question__head").filter(
        question__in=visible_questions(user).values("pk")
    )


def forecasts_revealed(question: Question) -> bool:
    """Return whether comments show their authors' forecasts.

    Only once the question is resolved or annulled: after that nothing about
    it is private (the results table shows every forecast too).
    """
    return question.head.resolutions > 0


def question_comments(question: Question, *, order: str = "oldest") -> QuerySet:
    """Return a question's comments in one query, with their authors.

    Once forecasts are revealed, each carries forecast_bp: its author's entry
    standing when the comment was posted (the latest with created_at at or
    before it), or None.
    """
    comments = (
        Comment.objects.filter(question=question)
        .select_related("author", "question")
        .order_by(*ORDERS[order])
    )
    if not forecasts_revealed(question):
        return comments
    standing = (
        Entry.objects.filter(
            question=OuterRef("question_id"),
            user=OuterRef("author_id"),
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-sequence")
        .values("probabilities_bp")[:1]
    )
    return comments.annotate(forecast_bp=Subquery(standing, output_field=JSONField()))


def author_forecast(comment: Comment) -> list[float] | None:
    """Return the forecast a comment may show: None before resolution or if none.

    Probabilities for binary and multiple choice; for numeric and date
    questions the CDF's 201 values (stored in millionths, not basis points).
    """
    vector = getattr(comment, "forecast_bp", None)
    if vector is None or comment.deleted:
        return None
    scale = MILLION if comment.question.is_continuous else BP
    return [value / scale for value in vector]


@dataclass
class Thread:
    """A top-level comment with its replies, oldest first, as the page lists it."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def threads(comments, user, now: datetime | None = None) -> list[Thread]:
    """Group comments (already ordered) under their parents; mark what user may do."""
    now = now or timezone.now()
    by_id: dict[int, Thread] = {}
    replies = []
    for comment in comments:
        comment.forecast = author_forecast(comment)
        comment.can_edit = can_edit(comment, user, now)
        comment.can_delete = not comment.deleted and _owner_or_staff(comment, user)
        if comment.parent_id is None:
            by_id[comment.pk] = Thread(comment)
        else:
            replies.append(comment)
    for reply in sorted(replies, key=lambda c: (c.created_at, c.pk)):
        by_id[reply.parent_id].replies.append(reply)
    return list(by_id.values())


def can_edit(comment: Comment, user, now: datetime) -> bool:
    """Return whether user may still edit the comment (its author, in the window)."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.deleted
        and now - comment.created_at <= EDIT_WINDOW
    )


def _owner_or_staff(comment: Comment, user) -> bool:
    return user.is_authenticated and (comment.author_id == user.pk or user.is_staff)
