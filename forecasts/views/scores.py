"""Leaderboard, calibration and the page that explains the scores."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render

from forecasts import scoring
from forecasts.forms import (
    CALIBRATION_MODES,
    RANKINGS,
    CalibrationForm,
    LeaderboardForm,
    filters,
)
from forecasts.selectors.cached_leaderboard import cached_leaderboard
from forecasts.selectors.calibration import (
    calibration_for,
    pit_calibration_for,
    waiting_for_close,
)
from forecasts.selectors.pages_questions import listed_tags

LEADERBOARD_SIZE = 100


def leaderboard_page(request):
    """Rank forecasters by mean Brier, relative Brier or points."""
    form = LeaderboardForm(request.GET)
    chosen = filters(form, by="brier", tag=None, min=1)
    rows = cached_leaderboard(
        by=chosen["by"], tag=chosen["tag"], min_questions=chosen["min"]
    )
    context = {
        "form": form,
        "chosen": chosen,
        "ranking": RANKINGS[chosen["by"]],
        "rows": rows[:LEADERBOARD_SIZE],
        "size": LEADERBOARD_SIZE,
        "tags": listed_tags(),
    }
    return render(request, "forecasts/leaderboard.html", context)


def calibration_page(request, username=None):
    """Show the calibration chart and table of the site, or of one user."""
    subject = None
    if username is not None:
        subject = get_object_or_404(get_user_model(), username=username)
    form = CalibrationForm(request.GET)
    chosen = filters(form, tag=None, mode="final")
    own = subject is not None and subject.pk == request.user.pk
    chart_query = request.GET.copy()
    if own:  # the charts then count private-only questions, as the table does
        chart_query["private"] = "1"
    context = {
        "form": form,
        "chosen": chosen,
        "mode_label": CALIBRATION_MODES[chosen["mode"]],
        "subject": subject,
        "table": calibration_for(
            user=subject,
            tag=chosen["tag"],
            mode=chosen["mode"],
            include_private=own,
        ),
        "pit": pit_calibration_for(
            user=subject, tag=chosen["tag"], include_private=own
        ),
        "waiting": waiting_for_close(
            user=subject, tag=chosen["tag"], include_private=own
        ),
        "chart_query": chart_query.urlencode(),
        "tags": listed_tags(),
    }
    return render(request, "forecasts/calibration.html", context)


def scoring_page(request):
    """Explain each score in plain words, with numbers computed by the scorer."""
    return render(request, "forecasts/scoring.html", {"example": worked_example()})


def worked_example() -> dict:
    """Return the page's example scores: 72% on Yes, after a 50% market."""
    forecast, before = [0.28, 0.72], [0.5, 0.5]
    brier = scoring.brier(forecast, 1)
    return {
        "brier": brier,
        "brier_no": scoring.brier(forecast, 0),
        "log": scoring.log_score(forecast, 1),
        "baseline": scoring.baseline_score(forecast, 1),
        "points": 100 * (scoring.brier(before, 1) - brier),
        "peer": float(scoring.peer_scores([0.72, 0.4])[0]),
        "community": scoring.brier([0.4, 0.6], 1),
        "relative": brier - scoring.brier([0.4, 0.6], 1),
        # Held 60% for the first half of the window, then 72%.
        "time_averaged": (scoring.brier([0.4, 0.6], 1) + brier) / 2,
        "early": scoring.brier([0.4, 0.6], 1),
    }
