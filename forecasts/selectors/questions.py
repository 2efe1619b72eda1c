"""Questions as lists and pages show them: status, community, own forecast."""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from forecasts.models import Entry, Question, Standing, Status
from forecasts.selectors.community import (
    Community,
    community_now,
    community_visible,
    market_now,
)
from forecasts.selectors.rows import instance_from_row
from tournaments.visibility import visible_to

LISTED_STATUSES = ("upcoming", "open", "closed", "resolved", "annulled")


def status_filter(status: str, now=None) -> Q:
    """Return the filter that selects questions of one derived status."""
    now = now or timezone.now()
    published = Q(published_at__isnull=False)
    unresolved = published & Q(head__resolutions=0) | published & Q(head__isnull=True)
    return {
        Status.DRAFT: Q(published_at__isnull=True),
        Status.UPCOMING: unresolved & Q(open_time__gt=now),
        Status.OPEN: unresolved & Q(open_time__lte=now, close_time__gt=now),
        Status.CLOSED: unresolved & Q(close_time__lte=now),
        Status.RESOLVED: published & Q(head__resolutions__gt=0, head__annulled=False),
        Status.ANNULLED: published & Q(head__resolutions__gt=0, head__annulled=True),
    }[status]


def visible_questions(user) -> QuerySet[Question]:
    """Return the questions this user may see: published ones, and drafts for staff.

    Questions only private tournaments hold are left out for non-members.
    """
    questions = Question.objects.select_related("head").prefetch_related("tags")
    if user is not None and user.is_authenticated and user.is_staff:
        return questions
    return questions.filter(visible_to(user), published_at__isnull=False)


# Stand-ins for the viewer's id and the slug while the lookup's SQL is built.
_VIEWER_ID = -(2**62) + 7
_SLUG = "\x00slug"


def visible_question(user, slug: str) -> Question | None:
    """Return the question with this slug if this user may see it, head not read.

    The same rows as `visible_questions(user).filter(slug=slug)`: its SQL,
    built by the ORM once per kind of viewer (staff, signed in, anonymous),
    with the viewer's id and the slug put in. Building and compiling the
    visibility subqueries cost twice the query itself on the forecast write.
    So the rule may depend only on the viewer's kind and id (not on the
    clock, say): any other parameter is kept from the first build.
    """
    sql, params, viewer_at, slug_at = _visible_by_slug(connection.vendor, _kind(user))
    values = list(params)
    for at in viewer_at:
        values[at] = user.pk
    values[slug_at] = slug
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    return None if row is None else instance_from_row(Question, row)


def _kind(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "staff" if user.is_staff else "signed in"


@cache
def _visible_by_slug(vendor: str, kind: str) -> tuple[str, tuple, list[int], int]:
    """Return the lookup's SQL, its parameters, and where the viewer and slug go."""
    if kind == "anonymous":
        viewer = AnonymousUser()
    else:
        viewer = get_user_model()(pk=_VIEWER_ID, is_staff=kind == "staff")
        viewer._state.adding = False
    found = (
        visible_questions(viewer)
        .select_related(None)
        .prefetch_related(None)
        .order_by()
        .filter(slug=_SLUG)
        .values_list(*(field.attname for field in Question._meta.concrete_fields))
    )
    sql, params = found.query.sql_with_params()
    viewer_at = [i for i, p in enumerate(params) if p == _VIEWER_ID]
    (slug_at,) = [i for i, p in enumerate(params) if p == _SLUG]
    return sql, tuple(params), viewer_at, slug_at


def search_questions(
    user, *, status: str | None = None, tag: str | None = None, text: str = ""
) -> QuerySet[Question]:
    """Return visible questions filtered by status, tag and words in the text."""
    questions = visible_questions(user)
    if status:
        questions = questions.filter(status_filter(status))
    if tag:
        questions = questions.filter(tags__slug=tag)
    for word in text.split()[:10]:
        questions = questions.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return questions.distinct()


@dataclass(frozen=True)
class QuestionRow:
    """A question as a list or page shows it to one user."""

    question: Question
    status: str
    community: Community | None
    market: list[float] | None
    own: list[float] | None


def question_rows(questions: list[Question], user) -> list[QuestionRow]:
    """Return rows with community, market and the user's own standing forecast.

    A fixed number of queries however many questions and forecasts there are.
    """
    own = standing_vectors(user, questions)
    community = community_now(questions)
    market = market_now(questions)
    now = timezone.now()
    rows = []
    for q in questions:
        shown = community_visible(q, q.pk in own, user)
        rows.append(
            QuestionRow(
                question=q,
                status=q.status(now),
                community=community.get(q.pk) if shown else None,
                market=market.get(q.pk) if shown else None,
                own=own.get(q.pk),
            )
        )
    return rows


def standing_vectors(user, questions: list[Question]) -> dict[int, list[float]]:
    """Return the user's standing forecast vector on each of these questions."""
    if user is None or not user.is_authenticated:
        return {}
    rows = Standing.objects.filter(user=user, question__in=questions).values_list(
        "question_id", "probabilities_bp"
    )
    units = {q.pk: q.vector_unit for q in questions}
    return {qid: [v / units[qid] for v in vector] for qid, vector in rows}


def own_entries(question: Question, user) -> list[Entry]:
    """Return the user's own entries on a question, oldest first."""
    if user is None or not user.is_authenticated:
        return []
    return list(Entry.objects.filter(question=question, user=user).order_by("sequence"))
