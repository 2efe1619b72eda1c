"""Tournament pages: the list, one tournament, its invite link and its chart."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from forecasts import charts
from forecasts.forms import RANKINGS
from forecasts.views.images import image
from tournaments import selectors, services
from tournaments.forms import TournamentLeaderboardForm
from tournaments.models import Tournament


def tournament_list(request):
    """List the tournaments this user may see."""
    tournaments = selectors.visible_tournaments(request.user)
    return render(request, "tournaments/list.html", {"tournaments": list(tournaments)})


def tournament_detail(request, slug):
    """Show a tournament: description, its questions and its leaderboard."""
    tournament = selectors.get_tournament(request.user, slug)
    # The defaults filled in, so that the form shows what the board uses.
    data = request.GET.copy()
    data.setdefault("by", "brier")
    data.setdefault("min_coverage", str(selectors.DEFAULT_MIN_COVERAGE))
    form = TournamentLeaderboardForm(data)
    valid = form.is_valid()
    chosen = form.choices()
    context = {
        "tournament": tournament,
        "phase": tournament.phase(),
        "questions": selectors.question_table(tournament, request.user),
        "form": form,
        "chosen": chosen,
        "ranking": RANKINGS[chosen["by"]],
        "board": selectors.tournament_leaderboard(tournament, **chosen),
    }
    # A bad leaderboard option is 400, its message next to the field.
    status = 200 if valid else 400
    return render(request, "tournaments/detail.html", context, status=status)


def join(request, slug, token):
    """Show the invite (GET) and join the tournament (POST); needs a log-in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    tournament = Tournament.objects.filter(slug=slug).first()
    if tournament is None:
        raise Http404("No such tournament.")
    if request.method == "POST":
        try:
            services.join_tournament(
                tournament=tournament, user=request.user, token=token
            )
        except ValidationError:
            raise Http404("No such invite.") from None
        messages.success(request, f"You joined {tournament.title}.")
        return redirect("tournaments:detail", slug=slug)
    if not selectors.valid_invite(tournament, token):
        raise Http404("No such invite.")
    return render(request, "tournaments/join.html", {"tournament": tournament})


def calibration_image(request, slug, fmt):
    """Return the calibration chart of the tournament's questions."""
    tournament = selectors.get_tournament(request.user, slug)
    table = selectors.tournament_calibration(tournament)
    title = f"Calibration: {tournament.title}"
    return image(charts.calibration_chart(table, fmt=fmt, title=title), fmt)
