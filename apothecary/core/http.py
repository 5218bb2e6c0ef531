"""HTTP helpers every app's views use: a 303 after a POST, and a "next" address that stays on this site."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def see_other(url: str) -> HttpResponseRedirect:
    """A 303 after a successful POST, so reloading the page does not send the form again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def safe_next(request, default: str) -> str:
    """The ``next`` URL from the form or query string when it stays on this site, else ``default``."""
    return allowed_url(request, request.POST.get("next") or request.GET.get("next") or "", default)


def allowed_url(request, candidate: str, default: str) -> str:
    """``candidate`` when it is an address on this site, else ``default``."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
