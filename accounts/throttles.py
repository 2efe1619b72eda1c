"""Failed log-ins on the site's form, counted per client address in the cache."""

import os

from forecasts.api.throttles import FailedLoginThrottle

DEFAULT_LOGIN_RATE = "10/min"


class LoginFormThrottle(FailedLoginThrottle):
    """THROTTLE_LOGIN_RATE failed log-ins per address, in DRF's rate syntax.

    Like the token endpoint's throttle: only failures count, every attempt
    from an address is refused once they reach the rate, and a cache outage
    lets requests through. NUM_PROXIES picks the address as for the API.
    """

    scope = "login"

    def get_rate(self):
        # Read at each request, so a changed variable needs no code change.
        return os.environ.get("THROTTLE_LOGIN_RATE") or DEFAULT_LOGIN_RATE
