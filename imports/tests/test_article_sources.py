"""Importing a legacy article from an address or a file: the fetch (``imports.articles.fetch``) and bad
input, refused with a clear message."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from django.core.management import CommandError

from articles.models import ArticlePage
from imports import articles as importing
from imports.articles import fetch
from imports.tests.article_helpers import POST, SEED, counts, run_import

pytestmark = pytest.mark.django_db

# --- URL import, from a local server --------------------------------------------------------------------------------


def test_an_article_is_imported_from_an_address(site_pages, web):
    web.pages["/2024/05/placebonol/"] = (200, "text/html; charset=utf-8", POST.read_bytes(), 0, {})
    output = run_import(web.url("/2024/05/placebonol/"), "--no-verify")
    page = ArticlePage.objects.get()
    assert page.title == "Placebonol Explained: A Made-Up Medicine for Testing"
    assert page.imported_from == web.url("/2024/05/placebonol/")
    assert "as a draft" in output
    (request,) = web.requests
    assert request["user_agent"].startswith("Apothecary article importer")


def test_a_plain_text_address_is_read_as_text(site_pages, web):
    web.pages["/seed.txt"] = (200, "text/plain; charset=utf-8", SEED.read_bytes(), 0, {})
    run_import(web.url("/seed.txt"), "--no-verify")
    assert ArticlePage.objects.get().title.startswith("Discover the Benefits of Baclofen")


def test_a_redirect_is_followed_only_to_http(site_pages, web):
    web.pages["/moved"] = (302, "text/plain", b"", 0, {"Location": web.url("/post")})
    web.pages["/post"] = (200, "text/html", POST.read_bytes(), 0, {})
    web.pages["/sneaky"] = (302, "text/plain", b"", 0, {"Location": "file:///etc/passwd"})
    run_import(web.url("/moved"), "--no-verify")
    assert ArticlePage.objects.count() == 1
    with pytest.raises(CommandError, match="Only http:// and https:// addresses can be imported"):
        run_import(web.url("/sneaky"), "--no-verify")


def test_addresses_inside_the_servers_network_are_refused_by_default(site_pages, web, settings):
    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = False
    web.pages["/post"] = (200, "text/html", POST.read_bytes(), 0, {})
    with pytest.raises(CommandError, match=r"inside this server's network \(127\.0\.0\.1\)"):
        run_import(web.url("/post"))
    assert web.requests == []


# --- bad input: a clear error, nothing created ----------------------------------------------------------------------


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "make_source, message",
    [
        (lambda tmp, web, port: tmp / "missing.txt", r"There is no file “.*missing\.txt”\. Nothing was imported\."),
        (lambda tmp, web, port: tmp, r"is not a file"),
        (lambda tmp, web, port: _write(tmp / "empty.txt", b""), r"“.*empty\.txt” is empty\."),
        (lambda tmp, web, port: _write(tmp / "blank.txt", b"  \n\n\t\n"), r"is empty\."),
        (
            lambda tmp, web, port: _write(tmp / "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200)),
            r"“.*photo\.jpg” is a binary file, not HTML or plain text\.",
        ),
        (
            lambda tmp, web, port: _write(tmp / "shop.txt", b"Baclofen\n\nPrice: $0,51 per pill\n\nLeave a Reply\n"),
            r"No article text was found",
        ),
        (lambda tmp, web, port: f"http://127.0.0.1:{port}/post", r"could not be reached"),
        (lambda tmp, web, port: web.url("/gone"), r"answered 404 Not Found"),
        (lambda tmp, web, port: _serve(web, "/slow", delay=2.5), r"did not answer within 1 seconds"),
        (
            lambda tmp, web, port: _serve(web, "/leaflet.pdf", "application/pdf"),
            r"is application/pdf, not an HTML page",
        ),
        (lambda tmp, web, port: "ftp://example.org/post.txt", r"Only http:// and https:// addresses"),
        (lambda tmp, web, port: "http://example.org:99999/post", r"is not a valid address"),
        (lambda tmp, web, port: "http://[::1/post", r"is not a valid address"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_creates_nothing(
    site_pages, web, free_port, tmp_path, make_source, message
):
    source = make_source(tmp_path, web, free_port)
    before = counts()
    with pytest.raises(CommandError, match=message):
        run_import(source, "--no-verify")
    assert counts() == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _serve(web, path: str, content_type: str = "text/html", delay: float = 0) -> str:
    web.pages[path] = (200, content_type, b"<p>An article</p>", delay, {})
    return web.url(path)


def test_a_source_larger_than_the_cap_is_refused(site_pages, web, settings, tmp_path):
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError, match="larger than"):
        run_import(_write(tmp_path / "long.txt", b"Word " * 400))
    web.pages["/long"] = (200, "text/plain", b"Word " * 400, 0, {})
    with pytest.raises(CommandError, match="larger than"):
        run_import(web.url("/long"))
    assert ArticlePage.objects.count() == 0


# --- the fetch connects where it checked, and keeps one deadline ------------------------------------------------------


def test_a_rebinding_name_is_refused_the_fetch_connects_only_to_the_address_it_checked(monkeypatch, settings):
    """A name that resolves first to a public address, then to this machine: the importer resolves it once and
    connects to that public address, never to the second answer."""

    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = False
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    looked_up, connected = [], []

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        address = next(answers)
        looked_up.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def recording_connect(address, timeout=None, *args, **kwargs):
        connected.append(address[0])
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(fetch.socket, "create_connection", recording_connect)
    with pytest.raises(importing.ImportFailed, match="could not be reached"):
        importing.fetch_url("http://rebind.example/post")
    assert looked_up == ["93.184.216.34"] and connected == ["93.184.216.34"]


def test_a_server_sending_a_byte_at_a_time_is_cut_at_the_deadline(web):
    """One deadline for the whole fetch: headers then a byte every 0.3 s would take 6 s; the import stops at 1 s."""

    web.pages["/drip"] = (200, "text/plain", b"x" * 20, 0, {})
    web.drips["/drip"] = 0.3
    started = time.monotonic()
    with pytest.raises(importing.ImportFailed, match="did not answer within 1 seconds"):
        importing.fetch_url(web.url("/drip"))
    assert time.monotonic() - started < 3  # cut at the deadline, not after the whole drip


@pytest.mark.parametrize("address", ["64:ff9b::a00:1", "2002:a00:1::1", "::ffff:10.0.0.1"])
def test_a_private_ipv4_address_inside_an_ipv6_one_is_refused(monkeypatch, settings, address):

    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = False
    monkeypatch.setattr(
        fetch.socket,
        "getaddrinfo",
        lambda host, port, *args, **kwargs: [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))],
    )
    with pytest.raises(importing.ImportFailed, match="inside this server's network"):
        importing.check_address("http://sneaky.example/post")
