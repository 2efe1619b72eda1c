"""THROTTLE_COMMENT_RATE new comments per user, from the API and the page alike."""

from forecasts.api.throttles import SafeRateThrottle


class CommentThrottle(SafeRateThrottle):
    """Count each user's comment POSTs; edits and reads are free."""

    scope = "comment"

    def get_cache_key(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
