"""Writes for tournaments: create, rotate the invite, add and join members."""

from django.core.exceptions import ValidationError
from django.db import transaction

from forecasts.models import Question
from forecasts.selectors.cached_leaderboard import warm_leaderboards
from tournaments.models import Tournament, new_invite_token
from tournaments.selectors import valid_invite


def refresh_site_standings() -> None:
    """Recompute the cached default leaderboards once this transaction commits.

    Which questions are private-only decides what the site-wide standings
    count; the cache is keyed by scoring alone, so a change here refreshes it.
    """
    transaction.on_commit(warm_leaderboards)


@transaction.atomic
def create_tournament(
    *,
    slug: str,
    title: str,
    start_time,
    end_time,
    visibility: str,
    questions: list[Question],
    description: str = "",
) -> Tournament:
    """Create a tournament over these questions."""
    tournament = Tournament(
        slug=slug,
        title=title,
        description=description,
        start_time=start_time,
        end_time=end_time,
        visibility=visibility,
    )
    tournament.full_clean()
    tournament.save()
    tournament.questions.set(questions)
    refresh_site_standings()
    return tournament


def rotate_invite(*, tournament: Tournament) -> str:
    """Give the tournament a new invite token; links with the old one stop working."""
    tournament.invite_token = new_invite_token()
    tournament.save(update_fields=["invite_token"])
    return tournament.invite_token


def add_member(*, tournament: Tournament, user) -> None:
    """Make the user a member (a no-op for a member)."""
    tournament.members.add(user)


def join_tournament(*, tournament: Tournament, user, token: str) -> None:
    """Make the user a member if the token is the tournament's current one."""
    if not valid_invite(tournament, token):
        raise ValidationError({"token": "This invite link is not valid any more."})
    add_member(tournament=tournament, user=user)
