"""What every rate limit shares: who the client is, and a request counter in the cache.

The counts live in the cache, so every web process shares them when the cache is Redis.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

from apothecary.core.cache import CacheUnavailable

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The client's address, if it is a valid IP.

    ``REMOTE_ADDR`` by default. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies,
    the address the outermost of them saw: that many entries from the right of
    ``X-Forwarded-For`` (entries further left are the client's own claims).
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def address_group(ip_address: str) -> str:
    """Who a limit counts: the address itself, or for IPv6 its /64 network (one client's usual allocation)."""
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return ip_address
    if address.version == 6 and address.ipv4_mapped is not None:  # ::ffff:198.51.100.1 is 198.51.100.1
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def count(key: str, timeout: int) -> int:
    """Count one more request under ``key``, kept ``timeout`` seconds from the first; the count so far.

    With the cache unreachable the request is not counted (0): the limit is not enforced, a warning says so, and
    the site keeps working (log-in lock-outs do not depend on the cache; they are kept in the database).
    """
    try:
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, 1, timeout=timeout)
            return 1
    except CacheUnavailable:
        logger.warning("Rate limit not enforced for %s: the cache is unreachable.", key)
        return 0


def exceeded(scope: str, who: str) -> bool:
    """Count one more ``scope`` request by ``who`` (an address group, a hashed e-mail); True when that makes more
    than the limit ``settings.RATE_LIMITS[scope]`` ("count/seconds") allows. A limit of 0 is off."""
    limit, window = settings.RATE_LIMITS[scope]
    if limit <= 0 or not who:
        return False
    over = count(f"rl:{scope}:{who}", window) > limit
    if over:
        logger.warning("Rate limit %s reached by %s", scope, who)
    return over


def client_exceeded(request, scope: str) -> bool:
    """``exceeded`` for the request's client address (IPv6 by /64)."""
    address = client_ip(request)
    return exceeded(scope, address_group(address)) if address else False


def too_many_requests(request, scope: str, what: str):
    """The 429 page: what was paused, and for about how long (``Retry-After`` says it to machines)."""
    from django.shortcuts import render

    window = settings.RATE_LIMITS[scope][1]
    response = render(request, "429.html", {"what": what, "retry_minutes": max(1, round(window / 60))}, status=429)
    response["Retry-After"] = str(window)
    return response


def client_group(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: who a log-in lock-out counts as one address (an IPv6 client per /64)."""
    address = client_ip(request)
    return address_group(address) if address else None
