"""The JSON API (django-ninja) at /api/: the OpenAPI document at /api/openapi.json, its docs at /api/docs.

Every answer under /api/ is JSON, errors included (``api.errors``): an unknown
address is a JSON 404 and a method an address does not take a JSON 405.
Successful reads carry an ETag and a Last-Modified and answer 304 to a client
whose copy is current (``api.caching``).
"""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse
from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from api import public, staff
from api.caching import make_conditional
from api.errors import error_response, install_error_handlers
from api.ratelimit import public_throttle

DESCRIPTION = """\
Apothecary's medicine guides, drug classes, articles and catalogue, read-only and public;
and a staff API (bearer tokens created in the admin) for prices, stock and the review queue.

* Only published content and active products appear.
* Lists are paged: `page` (from 1) and `page_size` (1 to 100; more is refused with 422).
* Successful reads carry `ETag` and `Last-Modified`; send `If-None-Match` or `If-Modified-Since` to get 304.
* Every error is `{"error": {"code": ..., "message": ..., "fields": {...}}}`.
* Requests are rate limited per address (public) and per token (staff): 429 with `Retry-After`.
"""


class ApothecaryAPI(NinjaAPI):
    """A NinjaAPI whose successful reads are conditional (ETag, Last-Modified, 304)."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return make_conditional(request, response)


api = ApothecaryAPI(
    title="Apothecary API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    throttle=[public_throttle],
)
install_error_handlers(api)
api.add_router("/", public.router)
api.add_router("/staff/", staff.router)


def json_method_not_allowed(view):
    """``view``, with its plain-text 405 (a method the address does not take) answered as a JSON error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = error_response(405, f"{request.method} is not allowed here; use {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapper


def with_json_errors(patterns):
    return [
        URLPattern(pattern.pattern, json_method_not_allowed(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
    ]


@csrf_exempt
def api_root(request):
    """/api/ itself: where the document and the docs are."""
    return make_conditional(
        request,
        JsonResponse(
            {"openapi": request.build_absolute_uri("openapi.json"), "docs": request.build_absolute_uri("docs")}
        ),
    )


@csrf_exempt
def not_found(request, unknown=""):
    return error_response(404, f"There is no API address /api/{unknown}.")


# Not module-level ``app_name``/``namespace``: Django would read them as this URLconf's own namespace.
_ninja_patterns, _ninja_app, _ninja_namespace = api.urls
urlpatterns = [
    path("", api_root),
    path("", include((with_json_errors(_ninja_patterns), _ninja_app), namespace=_ninja_namespace)),
    re_path(r"^(?P<unknown>.*)$", not_found),
]
