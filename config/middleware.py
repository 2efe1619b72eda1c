"""Refuse request bodies over 64 KB with 413 before anything reads them."""

from django.http import JsonResponse

MAX_BODY_BYTES = 64 * 1024


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose Content-Length is over MAX_BODY_BYTES.

    Django alone would answer 400 only when a form body passes 2.5 MB. The
    header is the whole story: Django reads no body at all without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return JsonResponse(
                {"detail": f"The body is over the limit of {MAX_BODY_BYTES} bytes."},
                status=413,
            )
        return self.get_response(request)
