"""Which questions private tournaments hide, as filters other reads add.

A question that belongs to at least one tournament, all of them private, is
"private-only": only staff and the members of one of its tournaments see it,
and it never counts in the site-wide standings, so those stay the same for
every viewer. A question in a public tournament too stays public.
"""

from django.db.models import Case, Exists, Max, OuterRef, Q, Value, When

from tournaments.models import Tournament, Visibility

Link = Tournament.questions.through


def _links(field: str):
    return Link.objects.filter(question_id=OuterRef(field))


def publicly_counted(field: str = "pk") -> Q:
    """Return a filter keeping rows whose question (at `field`) is not private-only.

    NOT IN one uncorrelated list, which PostgreSQL hashes once and costs as
    such. Written as "no link, or a public one" (an OR of two correlated
    EXISTS), the same filter was costed as one probe per row: so large a cost
    that the planner found sorting 120,000 calibration points as cheap as
    hashing them (within its 1% fuzz) and sorted them on disk.
    """
    return ~Q(**{f"{field}__in": _private_only_questions()})


def _private_only_questions():
    """Return the ids of the questions whose every tournament is private."""
    public = Case(
        When(tournament__visibility=Visibility.PUBLIC, then=Value(1)),
        default=Value(0),
    )
    return (
        Link.objects.values("question_id")
        .annotate(public=Max(public))
        .filter(public=0)
        .values("question_id")
    )


def visible_to(user, field: str = "pk") -> Q:
    """Return a filter keeping rows whose question (at `field`) this user may see."""
    if user is not None and user.is_authenticated and user.is_staff:
        return Q()
    if user is None or not user.is_authenticated:
        return publicly_counted(field)
    member = _links(field).filter(tournament__members=user)
    return publicly_counted(field) | Q(Exists(member))
