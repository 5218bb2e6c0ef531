"""Rate limits for the API: requests per client per window, counted in the Django cache.

Fixed windows aligned on the clock (as the comments' limit in ``discussion``
counts posts): every process shares the count when the cache is Redis, and a
refused client is told in ``Retry-After`` when the current window ends.

Settings (read when a request comes, so they can change without a restart):
``API_RATE_LIMIT`` requests per address per window on the public API (default
300), ``API_STAFF_RATE_LIMIT`` requests per token per window on the staff API
(default 120), ``API_RATE_WINDOW`` seconds (default 60). A limit of 0 turns it off.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from ninja.throttling import BaseThrottle

from apothecary.core.ratelimit import address_group, client_ip, count

logger = logging.getLogger(__name__)

RATE_KEY = "api:rate:{scope}:{ident}:{window}"


def window_seconds() -> int:
    return max(1, int(getattr(settings, "API_RATE_WINDOW", 60)))


def count_request(scope: str, ident: str, limit: int) -> bool:
    """Count one request from ``ident`` in the current window; False once it is over ``limit``."""
    window = window_seconds()
    key = RATE_KEY.format(scope=scope, ident=ident, window=int(time.time() // window))
    requests = count(key, window + 1)
    if requests > limit:
        if requests == limit + 1:
            logger.warning("API rate limit reached for %s %s", scope, ident)
        return False
    return True


class WindowThrottle(BaseThrottle):
    """At most the limit named by ``limit_setting`` requests per window, per client as ``ident`` names it."""

    def __init__(self, scope: str, limit_setting: str, default_limit: int):
        self.scope = scope
        self.limit_setting = limit_setting
        self.default_limit = default_limit

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        limit = int(getattr(settings, self.limit_setting, self.default_limit))
        ident = self.ident(request)
        if limit <= 0 or ident is None:
            return True
        return count_request(self.scope, ident, limit)

    def wait(self) -> float:
        window = window_seconds()
        return max(1, math.ceil(window - time.time() % window))


class AddressThrottle(WindowThrottle):
    """Per client address (REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies; IPv6 per /64 network)."""

    def ident(self, request) -> str | None:
        address = client_ip(request)
        return address_group(address) if address else None


class TokenThrottle(WindowThrottle):
    """Per API token (after authentication)."""

    def ident(self, request) -> str | None:
        token = getattr(request, "auth", None)
        return token.prefix if token is not None else None


public_throttle = AddressThrottle("public", "API_RATE_LIMIT", 300)
staff_throttle = TokenThrottle("staff", "API_STAFF_RATE_LIMIT", 120)
