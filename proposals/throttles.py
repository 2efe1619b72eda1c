"""THROTTLE_PROPOSAL_RATE proposals per user, from the API and the page alike."""

from forecasts.api.throttles import SafeRateThrottle


class ProposalThrottle(SafeRateThrottle):
    """Count each user's proposal POSTs (accept and decline are other scopes)."""

    scope = "proposal"

    def get_cache_key(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
