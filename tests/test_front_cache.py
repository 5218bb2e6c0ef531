"""The documented nginx front cache (deploy/nginx/apothecary.conf), run for real on loopback in front of the app.

A new guide revision, an approved comment and a price change are each on the next anonymous request, through the
app's own page cache and through nginx's cache (purged by the app through wagtail.contrib.frontend_cache); nginx
serves a kept page as it is, without a token or a cookie, and its form posts from the site's own page (and only from
there).
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
from decimal import Decimal

import pytest

from bench.nginx import config as nginx_conf
from conftest import NGINX
from discussion import services as discussion
from discussion.models import Comment
from home.models import FrontCachedPage

pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def front_cache(live_server, tmp_path, settings):
    """nginx with the documented config in front of the live server; the app purges it."""
    port = free_port()
    upstream = f"127.0.0.1:{live_server.thread.port}"
    (tmp_path / "nginx.conf").write_text(nginx_conf(tmp_path, upstream, port))
    nginx = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    # As a daemon, nginx returns once its master listens on the port: nothing to wait for after it.
    started = subprocess.run(nginx, capture_output=True, text=True, timeout=30)
    if started.returncode:
        pytest.fail(f"nginx did not start: {started.stderr}")
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "home.frontcache.NginxPurgeBackend", "LOCATION": f"http://127.0.0.1:{port}/_purge"}
    }
    yield f"127.0.0.1:{port}"
    subprocess.run([*nginx, "-s", "stop"], capture_output=True, timeout=30)
    errors = (tmp_path / "error.log").read_text()
    assert not re.search(r"\[(emerg|alert|crit)\]", errors), errors


def fetch(address: str, path: str, method="GET", cookie: str = "", body: str = "", fetch_site: str = ""):
    """One request on a new connection: status, headers (lower-cased names; Set-Cookie values listed), body."""
    connection = http.client.HTTPConnection(address, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if fetch_site:
        headers["Sec-Fetch-Site"] = fetch_site
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    content = response.read().decode()
    received = {name.lower(): value for name, value in response.getheaders()}
    received["set-cookie"] = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
    connection.close()
    return response.status, received, content


def test_nginx_serves_a_kept_page_as_it_is_and_its_form_posts_from_the_sites_own_page(front_cache, otc_pack):
    guide = otc_pack.product.medicine
    status, first, _ = fetch(front_cache, guide.url)
    assert status == 200 and first["x-cache"] == "MISS", (status, first, _[:2000])
    status, headers, html = fetch(front_cache, guide.url)
    assert status == 200 and headers["x-cache"] == "HIT" and headers["set-cookie"] == []
    assert "csrfmiddlewaretoken" not in html and "Add to cart" in html

    form = f"pack={otc_pack.pk}&quantity=1"
    status, headers, _ = fetch(front_cache, "/cart/add/", "POST", body=form, fetch_site="cross-site")
    assert status == 403 and not any(value.startswith("sessionid=") for value in headers["set-cookie"])
    status, headers, _ = fetch(front_cache, "/cart/add/", "POST", body=form, fetch_site="same-origin")
    assert status == 303  # the browser says the post comes from the site's own page
    session = next(value.split(";")[0] for value in headers["set-cookie"] if value.startswith("sessionid="))
    status, headers, html = fetch(front_cache, guide.url, cookie=session)
    assert headers.get("x-cache") == "BYPASS" and "Cart (1)" in html  # a visitor with a cart: never the kept page


def test_changes_are_on_the_next_request_through_the_app_cache_and_through_nginx(
    front_cache, live_server, otc_pack, pharmacist
):
    guide = otc_pack.product.medicine
    app = live_server.url.removeprefix("http://")
    comment = Comment.objects.create(page=guide, author_name="Sam", author_email="s@example.com", body="So clear!")

    def both() -> list[str]:
        """The guide through nginx and from the app's own cache, each asked twice (the second from its cache)."""
        pages = []
        for address in (front_cache, app):
            fetch(address, guide.url)
            status, headers, html = fetch(address, guide.url)
            assert status == 200
            if address == front_cache:
                assert headers["x-cache"] == "HIT"
            pages.append(html)
        return pages

    for html in both():
        assert "$2.50" in html and "So clear!" not in html

    guide.summary = "A new revision, published."
    guide.save_revision().publish()
    for html in both():
        assert "A new revision, published." in html

    discussion.approve([comment], pharmacist)
    for html in both():
        assert "So clear!" in html

    otc_pack.price = Decimal("2.95")
    otc_pack.save()
    for html in both():
        assert "$2.95" in html and "$2.50" not in html


def raw_headers(address: str, request: str) -> str:
    """The head of nginx's answer to ``request``, sent as it is (an absolute address in the request line, say)."""
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.split(b"\r\n\r\n", 1)[0].decode()


def test_a_page_is_kept_under_the_host_the_app_rendered_it_for(front_cache, otc_pack, settings):
    settings.ALLOWED_HOSTS = ["testserver", "otherhost", "127.0.0.1"]
    path = otc_pack.product.medicine.url
    # The request line names one host, the Host header another: the app renders for the header's, nginx keeps it there.
    head = raw_headers(
        front_cache, f"GET http://otherhost{path} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n"
    )
    assert head.startswith("HTTP/1.1 200") and "X-Cache: MISS" in head
    head = raw_headers(front_cache, f"GET {path} HTTP/1.1\r\nHost: otherhost\r\nConnection: close\r\n\r\n")
    assert "X-Cache: HIT" not in head  # otherhost's address never holds testserver's page
    head = raw_headers(front_cache, f"GET {path} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n")
    assert "X-Cache: HIT" in head


def test_made_up_query_strings_are_never_kept(front_cache, otc_pack):
    path = otc_pack.product.medicine.url
    for _ in range(2):
        status, headers, html = fetch(front_cache, f"{path}?junk=1")
        assert status == 200 and headers["x-cache"] != "HIT" and "x-accel-expires" not in headers
    assert not FrontCachedPage.objects.filter(url__contains="junk").exists()
