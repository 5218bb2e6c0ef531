"""Site-wide response rules that no view should have to remember."""

from django.utils.cache import patch_cache_control

ADMIN_PREFIX = "/admin/"
# Paths whose pages hold a person's data (their account, cart, checkout, orders, prescriptions) or the staff's.
PRIVATE_PREFIXES = ("/account/", "/cart/", "/checkout/", "/orders/", "/prescriptions/", "/admin/", "/api/staff/")


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every page with personal data: the private paths, and every page
    answered to a signed-in visitor (whose header shows who they are). No browser or proxy keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = request.path_info.startswith(PRIVATE_PREFIXES) or (user is not None and user.is_authenticated)
        if private and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
            response.headers.pop("Expires", None)
        return response


class PolicyExceptionsMiddleware:
    """The two exceptions to the site's Content-Security-Policy, each narrow. Listed after ``CSPMiddleware``, so it
    runs before it and the header is built with them.

    - Pages are never framed (``X-Frame-Options: DENY``, ``frame-ancestors 'none'``), except those whose view says
      ``X-Frame-Options: SAMEORIGIN`` (Wagtail's preview, the prescription on the review screen): this site alone
      may frame them, and the policy says the same.
    - Wagtail's admin writes each widget's set-up as an inline script, so under /admin/ inline scripts run; the
      admin still loads nothing from any other site. Public pages run no inline script at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            response._csp_replace = {**getattr(response, "_csp_replace", {}), "frame-ancestors": ["'self'"]}
        if request.path_info.startswith(ADMIN_PREFIX):
            response._csp_update = {**getattr(response, "_csp_update", {}), "script-src": ["'unsafe-inline'"]}
        return response


class RequestSizeMiddleware:
    """Refuse a request body larger than its address allows (413), from its Content-Length, before any of it is
    read: the largest upload anywhere is ``MAX_REQUEST_BYTES``, and a prescription upload may be only
    ``PRESCRIPTION_MAX_UPLOAD_BYTES`` (plus the form around it). First in the list, before CSRF reads the body.
    A proxy in front should refuse earlier still (nginx ``client_max_body_size``; see the README)."""

    FORM_MARGIN = 256 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def limit(self, request) -> int:
        from django.conf import settings

        if request.path_info.startswith("/orders/") and request.path_info.endswith("/prescription/"):
            return settings.PRESCRIPTION_MAX_UPLOAD_BYTES + self.FORM_MARGIN
        return settings.MAX_REQUEST_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = self.limit(request)
        if length > limit:
            from django.shortcuts import render

            context = {"size_mb": length / 1_048_576, "limit_mb": limit / 1_048_576}
            response = render(request, "413.html", context, status=413)
            # Answered before the other middleware: the policy is set here (the page needs only its stylesheet).
            response["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; img-src 'self'"
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)
