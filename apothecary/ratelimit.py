"""What every rate limit shares: who the client is, and a request counter in the cache.

The counts live in the cache, so every web process shares them when the cache is Redis.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache


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
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def count(key: str, timeout: int) -> int:
    """Count one more request under ``key``, kept ``timeout`` seconds from the first; the count so far."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=timeout)
        return 1
