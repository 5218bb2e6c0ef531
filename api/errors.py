"""One shape for every API error: ``{"error": {"code": "...", "message": "...", "fields": {...}}}``.

``install_error_handlers`` makes the NinjaAPI answer its own and Django's
exceptions in this shape; ``error_response`` is for the views outside it (an
unknown address under /api/, a method an address does not allow).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid",
    429: "rate_limited",
}
DEFAULT_MESSAGES = {
    400: "The request could not be read.",
    401: "Send a valid API token: Authorization: Bearer <token>.",
    403: "This token may not do that.",
    404: "Nothing here: check the address.",
    405: "This address does not accept that method.",
    422: "Some values are not valid; see fields.",
    429: "Too many requests; wait for the number of seconds in Retry-After.",
}
# The locations ninja puts first in a field's path, which say nothing to the client.
PARAMETER_LOCATIONS = {"query", "path", "body", "header", "cookie", "form", "file"}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class Error(Schema):
    """What every error answer holds."""

    error: ErrorDetail


class ApiError(HttpError):
    """An error answer with a message, an optional code and the fields at fault."""

    def __init__(self, status_code: int, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(status_code, message)
        self.code = code or ERROR_CODES.get(status_code, "error")
        self.fields = fields or {}


def error_body(status: int, message: str = "", *, code: str | None = None, fields: dict | None = None) -> dict:
    return {
        "error": {
            "code": code or ERROR_CODES.get(status, "error"),
            "message": message or DEFAULT_MESSAGES.get(status, "The request failed."),
            "fields": {str(key): str(value) for key, value in (fields or {}).items()},
        }
    }


def error_response(status: int, message: str = "", *, code: str | None = None, fields: dict | None = None):
    response = JsonResponse(error_body(status, message, code=code, fields=fields), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def field_path(location) -> str:
    """A field's place as dotted text: ("body", "payload", "rows", 2, "price") -> "rows.2.price"."""
    parts = [str(part) for part in location]
    if parts and parts[0] in PARAMETER_LOCATIONS:
        parts.pop(0)
    if len(parts) > 1 and parts[0] == "payload":
        parts.pop(0)
    return ".".join(parts) or "request"


def validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        path = field_path(error.get("loc", ()))
        message = str(error.get("msg", "Not valid."))
        fields[path] = f"{fields[path]} {message}" if path in fields else message
    return fields


def install_error_handlers(api) -> None:
    """Answer ninja's and Django's exceptions on ``api`` with the JSON error shape."""

    def respond(request, status, message="", *, code=None, fields=None):
        response = api.create_response(request, error_body(status, message, code=code, fields=fields), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_validation_error(request, exc: NinjaValidationError):
        return respond(request, 422, fields=validation_fields(exc.errors))

    def on_not_found(request, exc: Http404):
        return respond(request, 404)

    def on_http_error(request, exc: HttpError):
        if isinstance(exc, ApiError):
            return respond(request, exc.status_code, exc.message, code=exc.code, fields=exc.fields)
        message = exc.message
        if isinstance(exc, AuthenticationError) and message == "Unauthorized":
            message = ""  # ninja's default when no token was sent: say how to send one
        if isinstance(exc, Throttled):
            message = ""
        return respond(request, exc.status_code, message)

    def on_exception(request, exc: Exception):
        if isinstance(exc, SuspiciousOperation):
            logger.warning("Refused API request %s: %s", request.path, exc)
            return respond(request, 400)
        if isinstance(exc, PermissionDenied):
            return respond(request, 403, str(exc))
        if isinstance(exc, ObjectDoesNotExist):
            return respond(request, 404)
        raise exc  # a real fault: Django's 500 handling logs it and tells the admins

    api.add_exception_handler(NinjaValidationError, on_validation_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_exception)
