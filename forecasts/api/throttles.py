"""Throttles whose rates come from the environment and that fail open."""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class SafeRateThrottle(SimpleRateThrottle):
    """A rate throttle that lets the request through when its cache is down.

    Refusing every sign-up and forecast because Redis is unreachable would turn
    a cache outage into a site outage.
    """

    def get_rate(self):
        # Read at request time: DRF binds THROTTLE_RATES once, at import.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("Throttle %s: cache unavailable", self.scope, exc_info=True)
            return True


class SignupThrottle(SafeRateThrottle):
    """THROTTLE_SIGNUP_RATE sign-up attempts per client address."""

    scope = "signup"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class ForecastThrottle(SafeRateThrottle):
    """THROTTLE_FORECAST_RATE forecasts per user."""

    scope = "forecast"

    def get_cache_key(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class FailedLoginThrottle(SafeRateThrottle):
    """THROTTLE_TOKEN_RATE failed token requests per address; successes are free.

    Once the failures reach the rate, every attempt from the address is refused
    until the oldest failure ages out, the right password included.
    """

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }

    def throttle_success(self):
        # Checking costs nothing; only record_failure() counts.
        return True

    def record_failure(self) -> None:
        """Count one failed attempt against the address checked last."""
        if getattr(self, "key", None) is None:
            return
        try:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)
        except Exception:
            logger.warning("Throttle token: cache unavailable", exc_info=True)
