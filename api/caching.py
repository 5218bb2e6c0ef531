"""Conditional GETs: an ETag and a Last-Modified on every successful read, and 304 answers.

The ETag is a hash of the JSON sent. Last-Modified is the time this server first
sent that exact JSON from that address: a guide's answer also carries its
products, prices and references, which have no modification time of their own,
so the moment the representation changed is the honest one. The time is kept
in the Django cache (Redis when configured, so shared by every process); when
the cache has forgotten it, the current time is used, which only ever costs a
client a full answer instead of a 304, never a stale one.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

LAST_MODIFIED_KEY = "api:last-modified:{}"


def representation_last_modified(address: str, etag: str) -> int:
    """When this server first sent the representation ``etag`` from ``address`` (a Unix time, whole seconds)."""
    key = LAST_MODIFIED_KEY.format(hashlib.sha256(address.encode()).hexdigest())
    known = cache.get(key)
    if known and known[0] == etag:
        return known[1]
    now = int(time.time())
    # A change within the second the previous version was first sent still moves the date on.
    last_modified = max(now, known[1] + 1) if known else now
    cache.set(key, (etag, last_modified), timeout=getattr(settings, "API_LAST_MODIFIED_TTL", 86_400))
    return last_modified


def make_conditional(request, response):
    """Add the ETag and Last-Modified of a successful GET, and answer 304 when the client's copy is current."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
    last_modified = representation_last_modified(request.get_full_path(), etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if "Authorization" in request.headers:
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
    else:
        response["Cache-Control"] = "public, no-cache"
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
