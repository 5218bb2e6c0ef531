"""One version of everything the public pages show, shared by every app server.

Any change to what an anonymous visitor can see (a page published or unpublished, a comment approved, a price or
stock change, a reference verified, a setting saved) calls ``content_changed()``. It gives the site a new content
version; the page cache and the fragment caches key their entries on it, so an entry made before the change is never
read again (it simply expires). The version is kept in the "pages" cache (Redis when ``REDIS_URL`` is set, so every
app server sees it; otherwise a file cache shared by the processes of one server).

Saves and deletions of rows in the public apps (``PAGE_CACHE_WATCHED_APPS``) call it through ``watch()``; writes in
bulk (which send no signal) through ``PublicContentQuerySet`` or by calling it.

The version changes at once and again when the transaction commits: a page rendered between the two (from data not
yet committed) is stored under the version that the commit replaces.
"""

from __future__ import annotations

import logging
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

logger = logging.getLogger(__name__)

PAGES_CACHE = "pages"
FRAGMENTS_CACHE = "fragments"
VERSION_KEY = "content-version"

# Sent after the version changed, once the transaction has committed: the front cache is purged from it.
content_version_changed = Signal()


def pages_cache():
    return caches[PAGES_CACHE]


def content_version() -> str | None:
    """The current content version; None when the cache cannot be reached (nothing is cached then)."""
    cache = pages_cache()
    version = cache.get_current(VERSION_KEY) if hasattr(cache, "get_current") else cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(VERSION_KEY)
    return version


def remember(key: str, build, timeout: int | None = None, cache=None):
    """``build()``'s value, kept in ``cache`` (default: the default cache) until the content version changes.

    For what every page shows (the menu, the pharmacy's settings): with several processes or servers, an entry made
    before a change is never read after it, whichever process made it.
    """
    version = content_version()
    if version is None:
        return build()
    cache = cache or caches["default"]
    versioned = f"{key}:{version}"
    value = cache.get(versioned)
    if value is None:
        value = build()
        cache.set(versioned, value, timeout if timeout is not None else settings.PAGE_CACHE_SECONDS)
    return value


def keep(key: str, build):
    """``remember`` in the "fragments" cache: for what a page works out once per content version (its route, its
    rendered parts, its "see also"), apart from the default cache's counters."""
    return remember(key, build, cache=caches[FRAGMENTS_CACHE])


def _new_version() -> None:
    cache = pages_cache()
    cache.set(VERSION_KEY, secrets.token_hex(8), None)
    # Read back: a round trip after the write, answered only once Redis has sent the invalidation to every process
    # that keeps the version (apothecary.core.cache.TrackedReads), so that whatever this process does next (commit,
    # answer, redirect) can be followed by a request to any server, which then sees the new version.
    cache.get(VERSION_KEY)


def _after_commit(reason: str) -> None:
    _new_version()
    content_version_changed.send(sender=None, reason=reason)


def content_changed(reason: str = "") -> None:
    """What the public pages show has changed: no page or fragment cached before it is served again."""
    _new_version()
    transaction.on_commit(lambda: _after_commit(reason), robust=True)


def _watched(model) -> bool:
    meta = model._meta
    watched = meta.app_label in settings.PAGE_CACHE_WATCHED_APPS
    return watched and meta.label_lower not in settings.PAGE_CACHE_IGNORED_MODELS


def _on_save_or_delete(sender, raw=False, **kwargs) -> None:
    if not raw:
        content_changed(f"{sender._meta.label} changed")


def _on_m2m(sender, action, instance, **kwargs) -> None:
    if action.startswith("post_") and _watched(type(instance)):
        content_changed(f"{type(instance)._meta.label} links changed")


def watch() -> None:
    """Connect the save, delete and many-to-many signals of the watched models (called once at start).

    Connected model by model: a model nobody watches keeps Django's fast bulk deletion.
    """
    for model in apps.get_models():
        if _watched(model):
            post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=f"freshness-save-{model._meta.label}")
            post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=f"freshness-del-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"freshness-m2m-{field}")


class PublicContentQuerySet(models.QuerySet):
    """For rows the public pages show: writes in bulk, which send no signal, change the content version too."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if count:
            content_changed(f"{self.model._meta.label} updated in bulk")
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed(f"{self.model._meta.label} created in bulk")
        return created

    def bulk_update(self, objs, *args, **kwargs):
        count = super().bulk_update(objs, *args, **kwargs)
        if count:
            content_changed(f"{self.model._meta.label} updated in bulk")
        return count
