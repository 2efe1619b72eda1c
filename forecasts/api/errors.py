"""Turn every refusal into JSON: 400 {"field": ["message"]}, else {"detail": ...}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from forecasts.services import ResolutionConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource is not in the state the request expected."
    default_code = "conflict"


def exception_handler(exc, context):
    """Map service errors to HTTP and give every 400 the field → messages shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, ResolutionConflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc.detail)]})
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 400:
        response.data = flatten_errors(response.data)
    return response


def flatten_errors(detail) -> dict[str, list[str]]:
    """Return {"field": ["message", ...]}, nested list and dict errors folded in."""
    if not isinstance(detail, dict):
        return {"non_field_errors": _messages(detail)}
    return {str(field): _messages(errors) for field, errors in detail.items()}


def _messages(errors, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [
            message
            for key, inner in errors.items()
            for message in _messages(inner, f"{prefix}Item {key}: ")
        ]
    if isinstance(errors, list):
        return [message for item in errors for message in _messages(item, prefix)]
    return [f"{prefix}{errors}"]


FIELD_ERRORS = {
    "type": "object",
    "description": 'Each bad field with its messages: {"field": ["message"]}; '
    '"non_field_errors" for a body that is not a JSON object.',
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"probability": ["Must be between 0.001 and 0.999."]},
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
DESCRIPTIONS = {
    400: "Bad input; nothing was written.",
    401: "Not logged in: send Authorization: Token <token>.",
    403: "Logged in, but not allowed.",
    404: "No such resource, or not visible to you.",
    409: "Resolution state conflict.",
    413: "Body over 64 KB.",
    415: "Only application/json bodies are accepted.",
    429: "Throttled: retry after the Retry-After seconds.",
}


def error_responses(*codes: int) -> dict:
    """Return the OpenAPI responses for these error status codes."""
    return {
        code: OpenApiResponse(
            FIELD_ERRORS if code == 400 else DETAIL, description=DESCRIPTIONS[code]
        )
        for code in codes
    }
