"""Redis as a cache that never takes the site down.

With Redis unreachable, Django's RedisCache raises on every call, and every page, log-in, cart and API answer would
be a 500. ``ResilientRedisCache`` turns an unreachable or failing Redis into a miss instead: reads return the
default, writes are dropped, and sessions (``cached_db``) fall back to the database. After a failure it stops
asking Redis for ``RETRY_SECONDS`` (so a dead server costs no connect time per call), logs one warning per
outage, and tries again. Counters raise ``CacheUnavailable``, so a rate limit knows it was not counted
(``apothecary.core.ratelimit``).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


class CacheUnavailable(Exception):
    """The cache could not be reached; nothing was counted."""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A server that does not answer costs at most this long, once per RETRY_SECONDS.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        # Imported here, not with the module (which apothecary.core.ratelimit imports for CacheUnavailable): a site
        # without Redis never loads the client (~6 MiB per process).
        from redis.exceptions import RedisError

        self._failures = RedisError
        self._down_until = 0.0

    def _call(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except self._failures as exc:
            if not self._down_until:
                logger.warning("Redis cache unreachable (%s); serving without it for now: %s", operation, exc)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return fallback
        if self._down_until:
            logger.warning("Redis cache reachable again.")
            self._down_until = 0.0
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def incr(self, key, delta=1, version=None):
        unavailable = object()
        result = self._call("incr", unavailable, key, delta, version)
        if result is unavailable:
            raise CacheUnavailable(f"could not count {key!r}: the cache is unreachable")
        return result
