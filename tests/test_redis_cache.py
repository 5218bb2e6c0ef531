"""Django's Redis cache as several app servers share it: one store, atomic counters."""

import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.test import override_settings

from apothecary.core import freshness
from apothecary.core.cache import ResilientRedisCache, TrackedReads

pytestmark = pytest.mark.redis

THREADS = 2
INCREMENTS = 200


@pytest.fixture
def shared_cache(redis_url):
    """An alias ``shared`` (the project's Redis cache) on Redis database 15 with a prefix of its own; its keys are
    deleted afterwards."""
    prefix = f"apothecary-test-{uuid.uuid4().hex[:8]}"
    config = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "apothecary.core.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
            "TIMEOUT": 60,
        },
    }
    with override_settings(CACHES=config):
        yield caches["shared"]
        caches["shared"].delete_own_keys()


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


def test_clearing_one_cache_leaves_the_others_keys_in_the_same_redis_database(shared_cache):
    """The page, fragment and default caches (and the sessions) share one Redis database: clearing one of them is
    not FLUSHDB (a test process clearing its cache left another's mid-request without its content version)."""
    neighbour = caches.create_connection("shared")
    neighbour.key_prefix = f"{shared_cache.key_prefix}-pages"  # "apothecary" and "apothecary-pages", as in production
    odd = caches.create_connection("shared")
    odd.key_prefix = "odd*[prefix]?"  # a prefix with SCAN's wildcards is matched literally
    shared_cache.set_many({f"page-{n}": n for n in range(2500)})  # more than one batch of deletions
    neighbour.set("content-version", "v1")
    odd.set("kept", 1)

    shared_cache.clear()
    odd.clear()

    assert shared_cache.get_many([f"page-{n}" for n in range(2500)]) == {}
    assert neighbour.get("content-version") == "v1"
    assert odd.get("kept") is None
    neighbour.delete("content-version")


@pytest.fixture
def two_servers(redis_url):
    """The "pages" cache (where the content version lives) as two app servers see it: this thread's, which content
    changes write through, and another server's, which keeps the version it read (TrackedReads)."""
    config = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "apothecary.core.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"apothecary-test-{uuid.uuid4().hex[:8]}",
        },
    }
    with override_settings(CACHES=config):
        other = caches.create_connection("pages")
        yield caches["pages"], other
        other.close()
        caches["pages"].delete_own_keys()


def redis_commands(cache) -> list[tuple]:
    """Record the commands ``cache``'s kept reads send to Redis."""
    cache.get_current(freshness.VERSION_KEY)  # connected, tracking on
    sent = []
    connection = cache._tracked._connection
    send = connection.send_command
    connection.send_command = lambda *args, **kwargs: (sent.append(args), send(*args, **kwargs))[1]
    return sent


@pytest.mark.django_db
def test_a_server_keeping_the_content_version_sees_every_change_at_once_and_asks_redis_only_then(two_servers):
    _, other = two_servers
    sent = redis_commands(other)
    for _ in range(2000):
        before = other.get_current(freshness.VERSION_KEY)
        assert other.get_current(freshness.VERSION_KEY) == before  # unchanged: kept, Redis not asked
        freshness.content_changed("a guide published on this server")
        assert other.get_current(freshness.VERSION_KEY) != before  # the very next read on the other server
    assert sent == [("GET", other.make_key(freshness.VERSION_KEY))] * 2000  # once after each change, never between


@pytest.mark.django_db
def test_a_server_whose_connection_redis_dropped_reads_the_version_again(two_servers, redis_url):
    import redis

    _, other = two_servers
    first = other.get_current(freshness.VERSION_KEY)
    connection = other._tracked._connection
    connection.send_command("CLIENT", "ID")
    redis.Redis.from_url(redis_url).client_kill_filter(_id=connection.read_response())  # as a restart of Redis would
    freshness.content_changed("changed while the other server was cut off")
    assert other.get_current(freshness.VERSION_KEY) not in (None, first)


@pytest.mark.django_db
def test_a_kept_version_is_checked_with_redis_after_a_second_without_word_from_it(two_servers, monkeypatch):
    _, other = two_servers
    sent = redis_commands(other)
    other.get_current(freshness.VERSION_KEY)
    assert sent == []  # within the second: kept
    monkeypatch.setattr(TrackedReads, "TRUST_SECONDS", 0.0)
    first = other.get_current(freshness.VERSION_KEY)
    assert sent == [("PING",)]  # past it: the connection shows it is alive and that nothing changed
    freshness.content_changed("a change")
    assert other.get_current(freshness.VERSION_KEY) != first


class ForgetfulRelay:
    """A TCP relay to Redis that can forget the connections it carries, as a firewall or NAT does: they stay open and
    what either side sends is dropped without a word. Connections made after that are carried as before."""

    def __init__(self, redis_url: str):
        address = urlsplit(redis_url)
        self.target = (address.hostname, address.port or 6379)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = address._replace(netloc=f"127.0.0.1:{self.listener.getsockname()[1]}").geturl()
        self.carried: list[socket.socket] = []
        self.forgotten: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self.target)
            self.carried += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._carry, args=(source, sink), daemon=True).start()

    def _carry(self, source, sink):
        try:
            while data := source.recv(65536):
                if source not in self.forgotten:
                    sink.sendall(data)
        except OSError:
            pass

    def forget_every_connection(self):
        self.forgotten.update(self.carried)


@pytest.mark.django_db
def test_a_connection_that_died_silently_is_found_out_and_the_version_read_again(two_servers, redis_url, monkeypatch):
    """Nothing Redis sends arrives on a forgotten connection: the kept version would never be invalidated. The PING
    after TRUST_SECONDS times out instead, and a new connection reads the change."""
    writer, _ = two_servers
    relay = ForgetfulRelay(redis_url)
    other = ResilientRedisCache(relay.url, {"KEY_PREFIX": writer.key_prefix})
    try:
        freshness.content_changed("a first version")
        first = other.get_current(freshness.VERSION_KEY)
        assert first is not None
        relay.forget_every_connection()
        freshness.content_changed("changed while the other server's connection was forgotten")
        monkeypatch.setattr(TrackedReads, "TRUST_SECONDS", 0.0)
        assert other.get_current(freshness.VERSION_KEY) not in (None, first)
    finally:
        relay.listener.close()


@pytest.mark.django_db
def test_a_redis_that_cannot_track_is_read_each_time(two_servers, monkeypatch):
    from redis.exceptions import ResponseError

    _, other = two_servers

    def refused(self, connection):
        raise ResponseError("unknown command 'CLIENT', with args beginning with: 'TRACKING'")

    monkeypatch.setattr(TrackedReads, "_track", refused)
    freshness.content_changed("a first version")
    first = other.get_current(freshness.VERSION_KEY)
    assert first is not None
    freshness.content_changed("a change")
    assert other.get_current(freshness.VERSION_KEY) not in (None, first)
