"""The API's HTTP behaviour: conditional GETs, one JSON error shape, rate limits, and the docs."""

from __future__ import annotations

import time

import pytest
from django.utils.http import http_date

from api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# ---------------------------------------------------------------------------
# ETag and Last-Modified


def test_etag_answers_304_until_the_content_changes(client, catalogue):
    url = f"/api/products/{catalogue['tablets'].pk}"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    pack = catalogue["tablets"].packs.get(units=30)
    pack.stock = 3
    pack.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["packs"][0]["stock"] == 3


def test_last_modified_answers_304_until_the_content_changes(client, catalogue):
    url = "/api/medicines/baclofen"
    first = client.get(url)
    last_modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(time.time() - 3600)).status_code == 200

    guide = catalogue["medicine"]
    guide.summary = "A muscle relaxant."
    guide.save_revision().publish()
    changed = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] != last_modified  # moved on, even within the same second
    assert changed.json()["summary"] == "A muscle relaxant."


def test_lists_and_search_are_conditional_too(client, catalogue):
    for url in ["/api/medicines?tag=spasticity", "/api/classes", "/api/articles", "/api/search?q=baclofen"]:
        response = client.get(url)
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url


def test_errors_are_never_cached_as_304(client, catalogue):
    response = client.get("/api/medicines/draftozine")
    assert response.status_code == 404
    assert not response.has_header("ETag")


# ---------------------------------------------------------------------------
# One error shape


def test_404_for_an_unknown_address_under_api(client, db):
    error = assert_error(client.get("/api/no/such/thing"), 404, "not_found")
    assert "/api/no/such/thing" in error["message"]
    assert_error(client.get("/api/medicines/"), 404, "not_found")  # no trailing slash in the API's addresses


def test_404_for_an_unknown_page(client, catalogue):
    assert_error(client.get("/api/articles/no-such-article"), 404, "not_found")


def test_405_for_a_method_the_address_does_not_take(client, catalogue):
    response = client.delete("/api/medicines")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert_error(client.get("/api/staff/stock-and-prices"), 405, "method_not_allowed")


def test_422_names_each_bad_field(client, catalogue):
    error = assert_error(client.get("/api/products/abc"), 422, "invalid")
    assert set(error["fields"]) == {"product_id"}
    error = assert_error(client.get("/api/products?form=pill&in_stock=maybe&page=x"), 422, "invalid")
    assert set(error["fields"]) == {"form", "in_stock", "page"}


def test_400_for_a_body_that_is_not_json(client, make_token):
    token, raw = make_token()
    response = client.post(
        "/api/staff/stock-and-prices", data="{not json", content_type="application/json", **bearer(raw)
    )
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code, "bad_request" if response.status_code == 400 else "invalid")


def test_401_without_a_token_says_how_to_send_one(client, db):
    response = client.get("/api/staff/orders/awaiting-review")
    error = assert_error(response, 401, "not_authenticated")
    assert "Bearer" in error["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_401_for_a_wrong_token(client, make_token):
    token, raw = make_token()
    for header in [f"Bearer {raw}x", "Bearer apt_00000000_nothing", "Bearer not-a-token", f"Basic {raw}"]:
        response = client.get("/api/staff/orders/awaiting-review", HTTP_AUTHORIZATION=header)
        assert_error(response, 401, "not_authenticated")


def test_403_for_a_token_without_the_scope(client, make_token):
    token, raw = make_token(scopes=["orders:read"])
    response = client.post("/api/staff/stock-and-prices", {"rows": []}, content_type="application/json", **bearer(raw))
    error = assert_error(response, 403, "forbidden")
    assert "catalogue:write" in error["message"]


# ---------------------------------------------------------------------------
# Rate limits


def test_public_rate_limit_per_address_with_retry_after(client, catalogue, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    for _ in range(3):
        assert client.get("/api/classes").status_code == 200
    refused = client.get("/api/classes")
    assert_error(refused, 429, "rate_limited")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another address is counted apart.
    assert client.get("/api/classes", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_public_rate_limit_counts_an_ipv6_client_per_64_network(client, catalogue, settings):
    settings.API_RATE_LIMIT = 2
    for host in ("2001:db8::1", "2001:db8::2"):
        assert client.get("/api/classes", REMOTE_ADDR=host).status_code == 200
    assert client.get("/api/classes", REMOTE_ADDR="2001:db8::ffff").status_code == 429  # same /64
    assert client.get("/api/classes", REMOTE_ADDR="2001:db8:0:1::1").status_code == 200  # another network


def test_staff_rate_limit_per_token(client, make_token, settings):
    settings.API_STAFF_RATE_LIMIT = 2
    _, first = make_token(scopes=["orders:read"])
    _, second = make_token(scopes=["orders:read"])
    url = "/api/staff/orders/awaiting-review"
    assert [client.get(url, **bearer(first)).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get(url, **bearer(first))
    assert_error(refused, 429, "rate_limited")
    assert int(refused["Retry-After"]) >= 1
    assert client.get(url, **bearer(second)).status_code == 200


# ---------------------------------------------------------------------------
# The document and the docs


def test_openapi_document_lists_every_endpoint(client, db):
    document = client.get("/api/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/medicines",
        "/api/medicines/{slug}",
        "/api/products",
        "/api/products/{product_id}",
        "/api/classes",
        "/api/classes/{slug}",
        "/api/articles",
        "/api/articles/{slug}",
        "/api/search",
        "/api/staff/stock-and-prices",
        "/api/staff/orders/awaiting-review",
    }
    assert document["components"]["securitySchemes"]["StaffToken"] == {"type": "http", "scheme": "bearer"}


def test_docs_load_without_the_internet(client, db):
    """Swagger UI from the pharmacy's own static files, not a CDN: needs "ninja" in INSTALLED_APPS."""
    from django.contrib.staticfiles import finders

    html = client.get("/api/docs").content.decode()
    assert "/api/openapi.json" in html
    assert "cdn." not in html and "https://" not in html
    for asset in ("ninja/swagger-ui.css", "ninja/swagger-ui-bundle.js"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), asset
