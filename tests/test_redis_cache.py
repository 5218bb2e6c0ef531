"""Django's Redis cache as several app servers share it: one store, atomic counters."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.redis

THREADS = 2
INCREMENTS = 200


@pytest.fixture
def shared_cache(redis_url):
    """An alias ``shared`` on Redis database 15 with a prefix of its own; its keys are deleted afterwards."""
    prefix = f"apothecary-test-{uuid.uuid4().hex[:8]}"
    config = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
            "TIMEOUT": 60,
        },
    }
    with override_settings(CACHES=config):
        yield caches["shared"]
        client = caches["shared"]._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def test_a_value_set_through_one_connection_is_read_through_another(shared_cache):
    # Two independent cache objects, each with its own connection pool: two app servers.
    server_a = caches.create_connection("shared")
    server_b = caches.create_connection("shared")
    assert server_a is not server_b
    assert server_a._cache._get_connection_pool(True) is not server_b._cache._get_connection_pool(True)

    server_a.set("menu", [("Medicines A–Z", "/medicines/")])
    assert server_b.get("menu") == [("Medicines A–Z", "/medicines/")]
    server_b.delete("menu")
    assert server_a.get("menu") is None


def test_incr_is_atomic_across_threads(shared_cache):
    shared_cache.set("counter", 0)
    start = threading.Barrier(THREADS)
    errors = []

    def hammer():
        cache = caches.create_connection("shared")  # a connection of the thread's own
        try:
            start.wait(timeout=10)
            for _ in range(INCREMENTS):
                cache.incr("counter")
        except Exception as exc:  # reported below: an assertion in a thread would be lost
            errors.append(exc)
        finally:
            cache.close()

    threads = [threading.Thread(target=hammer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    assert shared_cache.get("counter") == THREADS * INCREMENTS == 400
