"""Wagtail's page serving without routing the same address again and again.

Wagtail finds the page for an address by walking the page tree from the site's root, one query per level, and
finds the site by its own query, on every request. Here the outcome (the site, the page's id and type) is kept per
address and content version (apothecary/core/freshness.py): any publish, unpublish, move, slug change or change of
view restrictions gives a new content version, so a route made before it is never read again. A request then costs
one query for the page itself, still checked to be live.

Only the routing is kept: Wagtail's ``serve`` still runs the ``before_serve_page`` hooks (view restrictions:
private pages stay private) and the page's own ``serve``. An address that routes to a view with arguments (a
routable page) or to nothing (a 404) is not kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from apothecary.core import freshness


@dataclass(frozen=True)
class Route:
    site: Site
    page_id: int
    content_type_id: int

    def page(self) -> Page | None:
        """The page, as its own type, if it is still live (one query)."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        return model.objects.live().filter(pk=self.page_id).first() if model else None


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
    return Route(site=request._wagtail_site, page_id=page.pk, content_type_id=page.content_type_id)


def serve(request, path):
    """Wagtail's ``serve``, given the route kept for this address when there is one."""
    route = freshness.remember(_route_key(request, path), lambda: _find_route(request, path))
    if route is not None and not hasattr(request, "_wagtail_route_for_request"):  # kept by an earlier request
        page = route.page()
        if page is not None:
            request._wagtail_site = route.site
            request._wagtail_route_for_request = RouteResult(page)
    return wagtail_views.serve(request, path)
