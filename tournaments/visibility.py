"""Which questions private tournaments hide, as filters other reads add.

A question that belongs to at least one tournament, all of them private, is
"private-only": only staff and the members of one of its tournaments see it,
and it never counts in the site-wide standings, so those stay the same for
every viewer. A question in a public tournament too stays public.
"""

from django.db.models import Exists, OuterRef, Q

from tournaments.models import Tournament, Visibility

Link = Tournament.questions.through


def _links(field: str):
    return Link.objects.filter(question_id=OuterRef(field))


def publicly_counted(field: str = "pk") -> Q:
    """Return a filter keeping rows whose question (at `field`) is not private-only."""
    links = _links(field)
    public = links.filter(tournament__visibility=Visibility.PUBLIC)
    return ~Q(Exists(links)) | Q(Exists(public))


def visible_to(user, field: str = "pk") -> Q:
    """Return a filter keeping rows whose question (at `field`) this user may see."""
    if user is not None and user.is_authenticated and user.is_staff:
        return Q()
    if user is None or not user.is_authenticated:
        return publicly_counted(field)
    member = _links(field).filter(tournament__members=user)
    return publicly_counted(field) | Q(Exists(member))
