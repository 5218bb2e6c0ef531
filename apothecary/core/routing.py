"""Wagtail's page serving without routing the same address again and again.

Wagtail finds the page for an address by walking the page tree from the site's root, one query per level, and
finds the site by its own query, on every request; its hook then reads the view restrictions of the page and its
ancestors (two more). Here the outcome (the site, the live page, its view restrictions) is kept per address and
content version (apothecary/core/freshness.py): any publish, unpublish, move, slug change or change of view
restrictions gives a new content version, so a route made before it is never read again. A request for a kept
address runs no query to find its page.

Wagtail's ``serve`` still runs its hooks (each visitor is checked against the view restrictions: private pages stay
private) and the page's own ``serve``. An address that routes to a view with arguments (a routable page) or to
nothing (a 404) is not kept.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from apothecary.core import freshness


@dataclass(frozen=True)
class Route:
    """Where an address leads: the site, the live page as its own type, and the view restrictions on it or above it
    (each request still checks the visitor against them)."""

    site: Site
    page: Page
    restrictions: tuple[PageViewRestriction, ...]

    def result(self, page: Page | None = None) -> RouteResult:
        """The route for this request: ``page`` (the one just routed) or the kept one (each read of the cache gives
        a copy of its own), whose view restrictions are those kept, not read again."""
        page = page or self.page
        page.get_view_restrictions = lambda: self.restrictions
        return RouteResult(page)


def _detached(page: Page) -> Page:
    """A copy of ``page`` without what routing attached to it (its parent, related rows such as its reviewer)."""
    page = copy.copy(page)
    page._state.fields_cache = {}
    page.__dict__.pop("_cached_parent_obj", None)
    return page


def _route_key(request, path: str) -> str:
    hostname = split_domain_port(request._get_raw_host())[0]
    address = f"{hostname}:{request.get_port()}:{path}"
    return f"route:{hashlib.md5(address.encode()).hexdigest()}"


def _find_route(request, path: str) -> Route | None:
    """Wagtail's own routing (which leaves its result on the request), as a ``Route`` to keep when it can be kept."""
    result = Page.route_for_request(request, path)
    if result is None or result.args or result.kwargs:
        return None
    page = result.page
    return Route(site=request._wagtail_site, page=_detached(page), restrictions=tuple(page.get_view_restrictions()))


def serve(request, path):
    """Wagtail's ``serve``, given the route kept for this address when there is one."""
    route = freshness.keep(_route_key(request, path), lambda: _find_route(request, path))
    if route is not None:
        routed_now = getattr(request, "_wagtail_route_for_request", None)  # None when kept by an earlier request
        request._wagtail_site = route.site
        request._wagtail_route_for_request = route.result(routed_now.page if routed_now else None)
    return wagtail_views.serve(request, path)
