"""The front cache (nginx, deploy/nginx/apothecary.conf): what it holds, and purging it when the content changes.

The page cache tells us each address it gives nginx a page to keep (``page_sent_to_front_cache``); a change to
public content (``content_version_changed``) purges them all through ``wagtail.contrib.frontend_cache``
(``WAGTAILFRONTENDCACHE``, set from ``FRONT_CACHE_PURGE_URL``), in a background job.
"""

from __future__ import annotations

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

from home.models import FrontCachedPage

logger = logging.getLogger(__name__)
PURGE_BATCH = 500
PURGE_TIMEOUT = 5


class NginxPurgeBackend(BaseBackend):
    """Purges a page from nginx's cache (deploy/nginx/apothecary.conf) by asking for LOCATION + its address, with its
    host (LOCATION is FRONT_CACHE_PURGE_URL, e.g. http://10.0.0.5/_purge). nginx answers 404 for an address it no
    longer holds (expired, or never asked for again): that is not an error."""

    def __init__(self, params):
        super().__init__(params)
        self.location = params.pop("LOCATION").rstrip("/")

    def purge(self, url):
        parts = urlsplit(url)
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        request = Request(f"{self.location}{address}", headers={"Host": parts.netloc})
        try:
            urlopen(request, timeout=PURGE_TIMEOUT).close()  # noqa: S310 (the configured FRONT_CACHE_PURGE_URL)
        except HTTPError as exc:
            if exc.code != 404:
                logger.error("Could not purge %s from the front cache: HTTP %d %s", url, exc.code, exc.reason)
        except (URLError, OSError) as exc:
            logger.error("Could not purge %s from the front cache: %s", url, exc)


def front_cache_on() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def remember(url: str) -> None:
    """nginx was given ``url``'s page to keep."""
    if front_cache_on():
        FrontCachedPage.objects.bulk_create([FrontCachedPage(url=url)], ignore_conflicts=True)


def purge_all() -> int:
    """Purge every page the front cache was given; returns how many addresses were purged."""
    purged = 0
    while batch := list(FrontCachedPage.objects.order_by("pk").values_list("pk", "url")[:PURGE_BATCH]):
        # Forget first: a page given to nginx again meanwhile is recorded again, and purged by the next change.
        FrontCachedPage.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
        purge_urls_from_cache([url for _, url in batch])
        purged += len(batch)
    if purged:
        logger.info("Purged %d page(s) from the front cache.", purged)
    return purged


def remember_sent(url: str, **kwargs) -> None:
    remember(url)


def purge_on_change(**kwargs) -> None:
    if front_cache_on():
        purge_all()
