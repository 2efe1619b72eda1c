"""The e-mail settings page and the unsubscribe link every e-mail carries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from forecasts.notifications import services
from forecasts.notifications.forms import FIELDS, NotificationSettingsForm
from forecasts.notifications.selectors import notification_settings
from forecasts.notifications.tokens import user_for_token


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    """Show and save which e-mails the user wants."""
    current = notification_settings(request.user)
    form = NotificationSettingsForm(
        # An empty POST is a valid one: both boxes unticked.
        request.POST if request.method == "POST" else None,
        initial={name: getattr(current, name) for name in FIELDS},
    )
    if form.is_valid():
        services.save_notification_settings(user=request.user, **form.cleaned_data)
        messages.success(request, "E-mail settings saved.")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


# The signed token is the credential, and a mail client's one-click POST
# (RFC 8058) carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Ask to confirm on GET; turn off every e-mail to the token's user on POST."""
    user = user_for_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.unsubscribe(user=user)
        return render(request, "notifications/unsubscribed.html", {"person": user})
    return render(request, "notifications/unsubscribe.html", {"person": user})
