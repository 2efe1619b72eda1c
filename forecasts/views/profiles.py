"""A forecaster's public profile: scores, calibration and Brier over time."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render

from forecasts.selectors.calibration import calibration_for
from forecasts.selectors.pages_profiles import forecast_count, standing_forecasts
from forecasts.selectors.scores import user_scores, user_totals
from proposals.pages import profile_context


def profile(request, username):
    """Show a user's scores per resolved question, totals and charts.

    Standing forecasts on open questions are listed to their owner only.
    """
    subject = get_object_or_404(get_user_model(), username=username)
    is_self = request.user.is_authenticated and request.user.pk == subject.pk
    context = {
        "subject": subject,
        "is_self": is_self,
        "totals": user_totals(subject),
        "scores": user_scores(subject),
        "forecast_count": forecast_count(subject),
        "standing": standing_forecasts(subject) if is_self else [],
        "table": calibration_for(user=subject),
    }
    context.update(profile_context(request.user, subject))
    return render(request, "forecasts/profile.html", context)
