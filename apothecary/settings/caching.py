"""The caches and sessions (base.py reads them from here): local memory and files for one server, or Redis when
REDIS_URL is set, shared by several app servers; and what the page cache keeps and watches."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "FRONT_CACHE_PURGE_URL",
    "PAGE_CACHE_IGNORED_MODELS",
    "PAGE_CACHE_VIEWS",
    "PAGE_CACHE_WATCHED_APPS",
    "WAGTAILFRONTENDCACHE",
    "caches_and_sessions",
]

# The front cache (deploy/nginx/apothecary.conf): where the app servers purge pages when content changes, e.g.
# http://10.0.0.5/_purge (nginx's purge location, as the app servers reach it). Unset: nothing to purge.
FRONT_CACHE_PURGE_URL = os.environ.get("FRONT_CACHE_PURGE_URL", "")
WAGTAILFRONTENDCACHE = (
    {"nginx": {"BACKEND": "home.frontcache.NginxPurgeBackend", "LOCATION": FRONT_CACHE_PURGE_URL}}
    if FRONT_CACHE_PURGE_URL
    else {}
)

# The views whose answers to anonymous visitors are cached (URL names).
PAGE_CACHE_VIEWS = ["wagtail_serve", "tag", "feed", "robots_txt"]
# Saving or deleting a row of these apps changes what the public pages show; the rows of these models do not.
PAGE_CACHE_WATCHED_APPS = [
    *("medicines", "catalogue", "articles", "evidence", "home", "seo"),
    *("wagtailcore", "wagtailimages", "wagtaildocs", "taggit"),
]
PAGE_CACHE_IGNORED_MODELS = [
    *("wagtailcore.pagelogentry", "wagtailcore.modellogentry", "wagtailcore.revision"),
    *("wagtailcore.workflowstate", "wagtailcore.taskstate", "wagtailimages.rendition"),
]


def caches_and_sessions(redis_url: str, var_dir: Path) -> tuple[dict, str]:
    """CACHES and SESSION_ENGINE: "default" (the cache, rate limits), "pages" (pages and the content version they
    are keyed on) and "fragments" (parts of pages kept per content version: apothecary/core/fragments.py)."""
    if redis_url:
        # Django's RedisCache, but an unreachable Redis is a miss, not a 500 (apothecary/core/cache.py).
        default = {"BACKEND": "apothecary.core.cache.ResilientRedisCache", "LOCATION": redis_url}
        caches = {
            "default": {**default, "KEY_PREFIX": "apothecary"},
            "pages": {**default, "KEY_PREFIX": "apothecary-pages"},
            "fragments": {**default, "KEY_PREFIX": "apothecary-fragments"},
        }
        # Read from Redis, kept in the database: with Redis down, sessions (log-ins, carts) come from the database.
        return caches, "django.contrib.sessions.backends.cached_db"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # On disk, so that every process of this server (gunicorn's workers) sees one content version.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(var_dir / "page-cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # In each process (a guide's body is about 50 kB): the oldest go first, apart from the rate-limit counters.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
    }
    return caches, "django.contrib.sessions.backends.db"
