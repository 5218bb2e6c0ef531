"""The site a request is for, as search engines see it: its public address and its publisher's name."""

from __future__ import annotations

from django.conf import settings
from wagtail import hooks
from wagtail.models import Site

SITE_NAME_HOOK = "seo_site_name"


def site_root_url(request) -> str:
    """The public address of the Wagtail site serving ``request`` ("https://pharmacy.example"), no trailing slash.

    The same root that Wagtail's page URLs and the sitemap use; SITE_URL when no site is set up.
    """
    site = Site.find_for_request(request)
    return (site.root_url if site else settings.SITE_URL).rstrip("/")


def site_name(request) -> str:
    """The publisher's name: what the site layer registers with the ``seo_site_name`` hook
    (a function of the request), else ``WAGTAIL_SITE_NAME``."""
    for name_for in hooks.get_hooks(SITE_NAME_HOOK):
        return name_for(request)
    return settings.WAGTAIL_SITE_NAME
