"""Charts as SVG or PNG images; each page shows the same data as a table."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forecasts import charts
from forecasts.forms import CalibrationForm, filters
from forecasts.selectors.calibration import calibration_for, pit_calibration_for
from forecasts.selectors.charts import (
    brier_points,
    community_chart_data,
    continuous_chart_data,
)
from forecasts.selectors.community import community_visible
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
    zone = timezone.get_current_timezone()
    if question.is_continuous:
        data = continuous_chart_data(question, entries, now=next_minute())
        return image(continuous_chart(data, request.GET.get("show"), fmt, zone), fmt)
    data = community_chart_data(question, entries, now=next_minute())
    return image(charts.community_chart(data, fmt=fmt, zone=zone), fmt)


def continuous_chart(data, show, fmt, zone) -> bytes:
    """Return the community history of a numeric or date question, or with
    ?show=density its latest density with the viewer's forecast over it."""
    common = {"unit": data.unit, "dates": data.dates, "fmt": fmt, "zone": zone}
    if show == "density":
        community = data.cdfs[-1] if data.cdfs else None
        return charts.density_chart(
            data.axis, community, own=data.own, outcome=data.outcome, **common
        )
    return charts.history_chart(
        data.axis,
        data.times,
        data.cdfs,
        until=data.until,
        outcome=data.outcome,
        **common,
    )


def calibration_image(request, fmt, username=None):
    """Return the calibration chart of the site, or of one user."""
    user = None
    if username is not None:
        user = get_object_or_404(get_user_model(), username=username)
    chosen = filters(CalibrationForm(request.GET), tag=None, mode="final")
    if request.GET.get("show") == "pit":
        return pit_image(request, user, chosen["tag"], fmt)
    table = calibration_for(
        user=user,
        tag=chosen["tag"],
        mode=chosen["mode"],
        include_private=is_self(request, user),
    )
    title = f"Calibration of {username}" if user else "Calibration of all forecasters"
    return image(charts.calibration_chart(table, fmt=fmt, title=title), fmt)


def pit_image(request, user, tag, fmt):
    """Return the PIT histogram of final numeric and date forecasts (?show=pit)."""
    pit = pit_calibration_for(
        user=user, tag=tag, include_private=is_self(request, user)
    )
    name = f"of {user.username}" if user else "of all forecasters"
    title = f"Numeric and date forecasts {name}: PIT"
    return image(charts.pit_chart(pit, fmt=fmt, title=title), fmt)


def brier_image(request, username, fmt):
    """Return a user's Brier score over time."""
    user = get_object_or_404(get_user_model(), username=username)
    scores = user_scores(user, include_private=is_self(request, user))
    chart = charts.brier_over_time_chart(
        brier_points(scores),
        fmt=fmt,
        until=minute(),
        zone=timezone.get_current_timezone(),
    )
    return image(chart, fmt)


def minute():
    """Return now to the minute, so a chart drawn up to now is cached a minute."""
    return timezone.now().replace(second=0, microsecond=0)


def next_minute():
    """Return the end of this minute: never before an entry made in it, so the
    line from the newest point to now always has a length."""
    return minute() + timedelta(minutes=1)


def is_self(request, user) -> bool:
    """Return whether the chart may count private-only questions: ?private=1
    from the forecaster themself.

    Only then is the session read, so public charts cost no query for it.
    """
    asked = request.GET.get("private") == "1"
    return asked and user is not None and request.user.pk == user.pk
