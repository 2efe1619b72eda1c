"""Refuse bodies over 64 KB with 413 unread; answer 503 while the database is down;
keep authenticated API answers out of caches."""

import logging
import zoneinfo

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

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


DATABASE_DOWN = "The database is unavailable; try again in a moment."
DATABASE_DOWN_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<title>Unavailable</title><h1>Temporarily unavailable</h1>"
    f"<p>{DATABASE_DOWN}</p></html>"
)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Answer 503 when the database cannot be reached, instead of a 500.

    A restart or failover of PostgreSQL is an outage, not a bug: clients get a
    clear, retryable answer, and CONN_HEALTH_CHECKS reconnects once it is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        if request.path.startswith("/api/") or _prefers_json(request):
            response = JsonResponse({"detail": DATABASE_DOWN}, status=503)
        else:
            response = HttpResponse(DATABASE_DOWN_PAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _prefers_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "json" in accept and "html" not in accept


class PrivateApiResponsesMiddleware:
    """Mark API answers to a signed-in caller `Cache-Control: private, no-store`.

    They hold what only that caller may see (own forecasts and salts, staff
    reads): no proxy or browser cache may keep them. DRF sets request.user
    on the underlying request when it authenticates a token; a request with
    an Authorization header counts as signed in even where DRF never ran.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The path first: request.user costs a session read a page may not make.
        if request.path.startswith("/api/") and _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated) or "Authorization" in request.headers


TIMEZONE_COOKIE = "tz"


class VisitorTimezoneMiddleware:
    """Read and write times in the visitor's zone, named by site.js in a cookie.

    Forms then read a typed date-time in that zone and charts draw in it; an
    unknown or missing zone means UTC. Times are stored in UTC whatever it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = visitor_zone(request.COOKIES.get(TIMEZONE_COOKIE, ""))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


def visitor_zone(name: str) -> zoneinfo.ZoneInfo | None:
    """Return the IANA zone of that name, or None for anything else."""
    if not name or len(name) > 64 or name.startswith(("/", ".")):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
