"""Sign up, log in with a throttle, delete an account; the rest is contrib.auth's.

A form sent back with errors answers 400, so a refusal is a refusal to any
client, not only to a person reading the page.
"""

import logging
from functools import partial

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, SignUpForm
from accounts.services import delete_account
from accounts.tasks import send_password_reset_task
from accounts.throttles import (
    LoginFormThrottle,
    PasswordResetEmailThrottle,
    PasswordResetThrottle,
    refusal,
    too_many_attempts,
)
from forecasts.api.throttles import SignupThrottle

logger = logging.getLogger(__name__)


class RefusedFormMixin:
    """Answer 400 when the form comes back with errors."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ThrottledPasswordMixin:
    """Refuse a POST with 429 while the address has failed too often, and count
    each refused form as a failure (only those naming `password_field`, if set)."""

    password_field = None

    def post(self, request, *args, **kwargs):
        self.throttle = LoginFormThrottle()
        if not self.throttle.allow_request(request, self):
            return too_many_attempts(request, self.throttle.wait())
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.password_field is None or self.password_field in form.errors:
            self.throttle.record_failure()
        return super().form_invalid(form)


class LoginView(ThrottledPasswordMixin, RefusedFormMixin, auth_views.LoginView):
    """Django's log-in, refused with 429 while the address has failed too often."""


class PasswordChangeView(
    ThrottledPasswordMixin, RefusedFormMixin, auth_views.PasswordChangeView
):
    """Django's password change; a wrong old password counts as a failed log-in,
    so a borrowed session is no way to guess the password."""

    password_field = "old_password"


class PasswordResetView(RefusedFormMixin, auth_views.PasswordResetView):
    """Django's reset form, throttled per address and per e-mail.

    The mail is sent by a task queued on commit: with a broker the answer
    waits for no mail server, so it is as quick for a known address as for
    an unknown one. (With no broker the task runs inline, as every task does.)
    """

    def post(self, request, *args, **kwargs):
        throttles = (PasswordResetThrottle(), PasswordResetEmailThrottle())
        refused = refusal(request, "password reset requests", *throttles)
        return refused or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        send = partial(
            queue_password_reset,
            email=form.cleaned_data["email"],
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
        )
        transaction.on_commit(send)
        return HttpResponseRedirect(self.get_success_url())


def queue_password_reset(**arguments) -> None:
    # A broker outage must not become a 500. (A mail server error cannot:
    # PasswordResetForm.send_mail logs it.)
    try:
        send_password_reset_task.delay(**arguments)
    except Exception:
        logger.exception("Could not queue a password reset e-mail")


class PasswordResetConfirmView(RefusedFormMixin, auth_views.PasswordResetConfirmView):
    pass


def signup(request):
    """Create an account, log it in and go where the visitor was heading."""
    if request.method == "POST":
        refused = refusal(request, "sign-ups from your address", SignupThrottle())
        if refused:
            return refused
    form = SignUpForm(request.POST or None)
    next_url = safe_next(request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url)
    context = {"form": form, "next": next_url}
    return render(request, "accounts/signup.html", context, status=status_of(form))


def safe_next(request) -> str:
    """Return the ?next= address if it stays on this site, else "/"."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


def status_of(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_page(request):
    """Ask for the password; on a POST with the right one, delete the account.

    Wrong passwords count as failed log-ins: a borrowed session must not
    become a way to guess the password.
    """
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST":
        throttle = LoginFormThrottle()
        if not throttle.allow_request(request, None):
            return too_many_attempts(request, throttle.wait())
        if form.is_valid():
            delete_account(user=request.user)
            logout(request)
            messages.success(request, "Your account is deleted.")
            return redirect("/")
        throttle.record_failure()
    context = {"form": form}
    return render(
        request, "accounts/delete_account.html", context, status=status_of(form)
    )
