"""Throttles for the site's forms, sharing the API's rates and counts.

The HTML forms use the API's throttle classes, so a sign-up or a forecast
counts once whichever door it comes through, under the same THROTTLE_* rate.
"""

import hashlib
import math
import os

from django.shortcuts import render

from forecasts.api.throttles import FailedLoginThrottle, SafeRateThrottle

FAILED_LOG_INS = "failed log-ins from your address"


class LoginFormThrottle(FailedLoginThrottle):
    """Failed log-ins per address, counted with the token endpoint's failures.

    The rate is THROTTLE_LOGIN_RATE if set, else THROTTLE_TOKEN_RATE. The
    count is the token endpoint's, so alternating the form and the API gives
    a guesser no more tries. Only failures count, every attempt from an
    address is refused once they reach the rate, and a cache outage lets
    requests through. NUM_PROXIES picks the address as for the API.
    """

    scope = "token"

    def get_rate(self):
        # Read at each request, so a changed variable needs no code change.
        return os.environ.get("THROTTLE_LOGIN_RATE") or super().get_rate()


class PasswordResetThrottle(SafeRateThrottle):
    """THROTTLE_PASSWORD_RESET_RATE reset requests per client address."""

    scope = "password_reset"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class PasswordResetEmailThrottle(SafeRateThrottle):
    """THROTTLE_PASSWORD_RESET_RATE reset requests per e-mail address.

    Many client addresses must not flood one mailbox. The key holds a digest,
    not the address, and counts known and unknown addresses alike.
    """

    scope = "password_reset"

    def get_cache_key(self, request, view):
        email = request.POST.get("email", "").strip().lower()
        digest = hashlib.sha256(email.encode(errors="replace")).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}_email", "ident": digest}


def refusal(request, what: str, *throttles):
    """Return the 429 page if one of the throttles refuses the request, else None.

    `what` completes "Too many …" on the page, e.g. "sign-ups from your address".
    """
    for throttle in throttles:
        if not throttle.allow_request(request, None):
            return too_many_attempts(request, throttle.wait(), what)
    return None


def too_many_attempts(request, wait: float | None, what: str = FAILED_LOG_INS):
    """Return the 429 page, with Retry-After when the wait is known."""
    seconds = math.ceil(wait) if wait else None
    context = {"seconds": seconds, "what": what, "log_in": what == FAILED_LOG_INS}
    response = render(request, "accounts/throttled.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
