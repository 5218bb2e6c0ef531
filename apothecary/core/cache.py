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
import os
import re
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def glob_escape(text: str) -> str:
    """``text`` matched literally in a Redis SCAN pattern."""
    return re.sub(r"([\\*?\[\]])", r"\\\1", text)


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
        self._tracked = None  # get_current's reads (a cache object is its thread's own)

    def _call(self, operation, fallback, *args, **kwargs):
        return self._guarded(getattr(super(), operation), fallback, *args, **kwargs)

    def _guarded(self, function, fallback, *args, **kwargs):
        operation = function.__name__
        if time.monotonic() < self._down_until:
            return fallback
        try:
            result = function(*args, **kwargs)
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

    def get_current(self, key, default=None):
        """``get`` for the key read on every request (the content version): kept in this process and read again
        only when Redis says it changed (``TrackedReads``)."""
        return self._guarded(self._get_tracked, default, key, default)

    def _get_tracked(self, key, default):
        from redis.exceptions import ResponseError

        if self._tracked is False:  # a server that cannot track: read as any other key
            return RedisCache.get(self, key, default)
        if self._tracked is None or self._tracked.pid != os.getpid():  # none yet, or made before the worker forked
            self._tracked = TrackedReads(self._cache.get_client(key).connection_pool)
        try:
            value = self._tracked.get(self.make_and_validate_key(key))
        except ResponseError:  # no RESP3 or no CLIENT TRACKING (before Redis 6, some proxies)
            logger.warning("Redis cannot track keys for this process; it reads the content version each time.")
            self._tracked = False
            return RedisCache.get(self, key, default)
        return default if value is None else self._cache._serializer.loads(value)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        """Empty this cache, and only this one: its keys (KEY_PREFIX), not the whole Redis database (FLUSHDB), which
        the site's other caches (pages, fragments), its sessions and other processes' keys share."""
        return self._guarded(self.delete_own_keys, False)

    def delete_own_keys(self) -> bool:
        """Delete every key of this cache's KEY_PREFIX; raises when Redis fails (``clear`` does not)."""
        client = self._cache.get_client(write=True)
        keys = []
        for key in client.scan_iter(match=f"{glob_escape(self.key_prefix)}:*", count=1000):
            keys.append(key)
            if len(keys) == 1000:
                client.delete(*keys)
                keys.clear()
        if keys:
            client.delete(*keys)
        return True

    def incr(self, key, delta=1, version=None):
        unavailable = object()
        result = self._call("incr", unavailable, key, delta, version)
        if result is unavailable:
            raise CacheUnavailable(f"could not count {key!r}: the cache is unreachable")
        return result


class TrackedReads:
    """Values read from Redis and kept in this process until Redis says their key changed: Redis's server-assisted
    client-side caching (RESP3, ``CLIENT TRACKING ON``), on a connection of their own.

    Once this connection has read a key, Redis pushes an invalidation to it when any client writes the key (or it
    expires, or the database is emptied). Redis queues the push while it executes the write and sends it in the same
    pass as the writer's reply: it is on this socket before the writer can have told anyone of its change. So a read
    first takes whatever is waiting on the socket (a non-blocking poll, no round trip) and asks Redis again only for a
    key that was invalidated: on a busy site, one system call per read instead of a round trip to Redis (Redis 6 or
    later). A kept value is trusted for ``TRUST_SECONDS`` without word from Redis; then a PING on the connection,
    answered after every push sent before it, shows it is alive and up to date: a connection that died silently (a
    firewall or NAT that forgot it) fails within the socket timeout instead of keeping a value for good. Any failure
    drops the connection and everything kept with it; every connection made starts with nothing kept.

    For one thread: a Django cache object, which holds it, is its thread's own.
    """

    TRUST_SECONDS = 1.0

    def __init__(self, pool):
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.pid = os.getpid()
        # Never connected again behind our back (a retry, a health check): every connection goes through _track.
        options = {"protocol": 3, "health_check_interval": 0, "retry": Retry(NoBackoff(), 0)}
        self._connection = pool.connection_class(**{**pool.connection_kwargs, **options})
        self._connection.register_connect_callback(self._track)
        self._values: dict[str, bytes | None] = {}
        self._heard = 0.0  # when Redis last answered on this connection (time.monotonic)

    def _track(self, connection) -> None:
        """Each connection made, the first or a new one after a failure: nothing kept from before, tracking on."""
        self._values.clear()
        connection._parser.set_invalidation_push_handler(self._forget)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()

    def _forget(self, push=None) -> None:
        self._values.clear()

    def get(self, key: str) -> bytes | None:
        for attempt in (1, 2):  # a connection Redis dropped (a restart) fails once, then a new one is made
            try:
                return self._get(key)
            except Exception:
                self._connection.disconnect()
                self._values.clear()
                if attempt == 2:
                    raise
        return None  # not reached

    def _get(self, key: str) -> bytes | None:
        connection = self._connection
        if connection._sock is None:
            connection.connect()
        while connection.can_read(timeout=0):  # invalidations pushed since the last read (_forget)
            connection.read_response(push_request=True)
        if key in self._values and time.monotonic() - self._heard > self.TRUST_SECONDS:
            connection.send_command("PING")
            connection.read_response()  # a push sent before the answer is taken on the way
            self._heard = time.monotonic()
        if key not in self._values:
            connection.send_command("GET", key)
            self._values[key] = connection.read_response()
            self._heard = time.monotonic()
        return self._values[key]
