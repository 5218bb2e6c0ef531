"""With Redis unreachable, the site degrades; it never goes down. REDIS_URL points at a closed port: home, a guide,
search, log-in, the cart, checkout and the API answer as usual (the cache misses, sessions come from the
database, rate limits are not counted and say so in the log)."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from apothecary.core import ratelimit
from orders.models import Order
from orders.tests.test_views import checkout_form
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    unreachable = {"BACKEND": "apothecary.core.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT, "KEY_PREFIX": "t"}
    # Pages are rendered without the page cache, or any kept part.
    settings.CACHES = {"default": unreachable, "pages": unreachable, "fragments": unreachable}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert cache.get("anything", "missed") == "missed"  # the backend in use is the unreachable one


def test_public_pages_search_and_the_api_answer(redis_down, medicine, client):
    for url in ["/", medicine.url, "/search/?q=baclofen", "/medicines/", "/api/medicines", "/api/search?q=baclofen"]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_log_in_cart_and_checkout_work_and_the_session_lasts(redis_down, otc_pack, caplog):
    make_user("robin@example.com")
    client = Client()
    logged_in = client.post("/account/login/", {"username": "robin@example.com", "password": "pw"})
    assert logged_in.status_code == 302
    assert client.get("/account/").status_code == 200  # the session was kept (in the database)

    assert client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "2"}).status_code == 303
    assert "Paracetamol" in client.get("/cart/").content.decode()
    with caplog.at_level(logging.WARNING):
        placed = client.post("/checkout/", checkout_form(client, email="robin@example.com"))
    assert placed.status_code == 303
    order = Order.objects.get()
    assert order.total == otc_pack.price * 2 + order.shipping_cost and order.shipping_cost > 0


def test_a_rate_limit_is_not_counted_and_says_so(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="apothecary.core.ratelimit"):
        assert ratelimit.count("t:login:127.0.0.1", 60) == 0
    assert "Rate limit not enforced for t:login:127.0.0.1: the cache is unreachable." in caplog.text
