"""Writes for tournaments: create, rotate the invite, add and join members."""

from django.core.exceptions import ValidationError
from django.db import transaction

from forecasts.models import Question
from forecasts.services.generations import SCORES, bump_generation
from tournaments.models import Tournament, new_invite_token
from tournaments.selectors import valid_invite


def refresh_site_standings() -> None:
    """Move the scores generation on, in this transaction.

    Which questions are private-only decides what the site-wide standings
    count, so every cached board (any ranking, any tag) gets a new key at
    once, as after a re-resolution.
    """
    bump_generation(SCORES)


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
