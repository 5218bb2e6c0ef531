"""CSRF protection for the forms of pages that the front cache serves to everyone alike.

A page kept by the nginx front cache (deploy/nginx/) is the same bytes for every visitor, so it cannot carry a
visitor's CSRF token. The few views its forms post to (adding to the cart, posting a question) are marked
``@same_origin_posts``: they accept a post without a token when the browser says the post comes from this site's
own pages. That is Fetch Metadata's ``Sec-Fetch-Site: same-origin`` (sent by every current browser; a page on
another site cannot set or forge it), or, from a browser too old to send it, an ``Origin`` that is this site's own.
A post from another site, from another host of the same site, or with neither header, must carry its token, as
every other post must. Every other view keeps Django's token check unchanged.
"""

from __future__ import annotations

from django.utils.deprecation import MiddlewareMixin


def same_origin_posts(view):
    """Mark ``view`` as taking posts from this site's own pages without a token (see the module's docstring)."""
    view.same_origin_posts = True
    return view


def from_this_site(request) -> bool:
    """The browser says the request comes from a page of this very origin (scheme, host and port)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


class SameOriginPostsMiddleware(MiddlewareMixin):
    """Listed just before Django's CsrfViewMiddleware, which does everything else: a token-free post from this site's
    own pages to a ``same_origin_posts`` view is marked as checked, as Django marks a post it accepts."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if request.method == "POST" and getattr(callback, "same_origin_posts", False) and from_this_site(request):
            request.csrf_processing_done = True
        return None
