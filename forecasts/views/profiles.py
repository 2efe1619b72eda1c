"""A forecaster's public profile: scores, calibration and Brier over time."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render

from forecasts.selectors.calibration import calibration_for, waiting_for_close
from forecasts.selectors.pages_profiles import forecast_count, standing_forecasts
from forecasts.selectors.scores import user_scores, user_totals
from proposals.pages import profile_context


def profile(request, username):
    """Show a user's scores per resolved question, totals and charts.

    Open questions (listed, counted or dated) are shown to their owner only,
    and questions only private tournaments hold count in their own view alone.
    """
    subject = get_object_or_404(get_user_model(), username=username)
    is_self = request.user.is_authenticated and request.user.pk == subject.pk
    context = {
        "subject": subject,
        "is_self": is_self,
        "totals": user_totals(subject, include_private=is_self),
        "scores": user_scores(subject, include_private=is_self),
        "forecast_count": forecast_count(
            subject, settled_only=not is_self, include_private=is_self
        ),
        "standing": standing_forecasts(subject) if is_self else [],
        "table": calibration_for(user=subject, include_private=is_self),
        "waiting": waiting_for_close(user=subject, include_private=is_self),
    }
    context.update(profile_context(request.user, subject))
    return render(request, "forecasts/profile.html", context)
