"""Charts as SVG or PNG images; each page shows the same data as a table."""

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forecasts import charts
from forecasts.forms import CalibrationForm, filters
from forecasts.selectors.calibration import calibration_for
from forecasts.selectors.community import (
    community_history,
    community_now,
    community_visible,
)
from forecasts.selectors.pages_questions import community_series
from forecasts.selectors.questions import own_entries, visible_questions
from forecasts.selectors.scores import user_scores


def image(content: bytes, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=charts.FORMATS[fmt])
    # The chart changes with each forecast, so browsers must ask again.
    response["Cache-Control"] = "private, no-cache"
    return response


def community_image(request, slug, fmt):
    """Return the community history chart, if the user may see the community."""
    question = get_object_or_404(visible_questions(request.user), slug=slug)
    entries = own_entries(question, request.user)
    if not community_visible(question, bool(entries), request.user):
        raise Http404("The community forecast is hidden until you forecast.")
    live = community_now([question]).get(question.pk)
    points = community_series(question, community_history(question), live)
    # To the minute, so the chart stays cached for a minute at most.
    now = timezone.now().replace(second=0, microsecond=0)
    until = min(now, question.close_time)
    chart = charts.community_chart(question, points, entries, fmt=fmt, until=until)
    return image(chart, fmt)


def calibration_image(request, fmt, username=None):
    """Return the calibration chart of the site, or of one user."""
    user = None
    if username is not None:
        user = get_object_or_404(get_user_model(), username=username)
    chosen = filters(CalibrationForm(request.GET), tag=None, mode="final")
    table = calibration_for(
        user=user,
        tag=chosen["tag"],
        mode=chosen["mode"],
        include_private=is_self(request, user),
    )
    title = f"Calibration of {username}" if user else "Calibration of all forecasters"
    return image(charts.calibration_chart(table, fmt=fmt, title=title), fmt)


def brier_image(request, username, fmt):
    """Return a user's Brier score over time."""
    user = get_object_or_404(get_user_model(), username=username)
    scores = user_scores(user, include_private=is_self(request, user))
    return image(charts.brier_over_time_chart(scores, fmt=fmt), fmt)


def is_self(request, user) -> bool:
    """Return whether the chart may count private-only questions: ?private=1
    from the forecaster themself.

    Only then is the session read, so public charts cost no query for it.
    """
    asked = request.GET.get("private") == "1"
    return asked and user is not None and request.user.pk == user.pk
