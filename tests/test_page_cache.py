"""The page cache: anonymous visitors are served stored pages that are never stale and never personal.

Each change a public page shows (a revision published, a comment approved, a price, stock running out, a reference
corrected, a setting) is on the next anonymous request; a signed-in visitor, or one with a cart, gets their own
page; each visitor gets their own CSRF token; ETags give 304s; PAGE_CACHE=off renders every time.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from apothecary.core import freshness
from discussion import services as discussion
from discussion.models import Comment
from evidence.models import VerificationStatus
from home.models import PharmacySettings
from orders.tests.conftest import place
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def guide(medicine):
    make_product(medicine, strength="10 mg", packs=((84, "12.00", 1),))
    return medicine


def visit(path, client=None, **headers):
    """One anonymous request; returns the response and the SQL queries it ran."""
    client = client or Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return response, len(queries)


def test_the_second_anonymous_visit_is_served_from_the_cache_without_a_query(guide):
    first, rendered = visit(guide.url)
    second, served = visit(guide.url)
    assert rendered > 5 and served == 0
    assert second.content.decode().count("Baclofen") == first.content.decode().count("Baclofen")
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
    assert "public" in second["Cache-Control"] and "must-revalidate" in second["Cache-Control"]


def test_a_browser_revalidating_gets_a_304(guide):
    first, _ = visit(guide.url)
    again, _ = visit(guide.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since, _ = visit(guide.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_each_visitor_gets_their_own_csrf_token_and_their_forms_work(guide, otc_pack):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        response, _ = visit(otc_pack.product.medicine.url, visitor)
        page_tokens = set(TOKEN.findall(response.content.decode()))
        assert len(page_tokens) >= 1 and "apothecary:csrf" not in response.content.decode()
        tokens.append(page_tokens)
    assert tokens[0].isdisjoint(tokens[1])  # the second page came from the cache, with its own visitor's token
    cookie = visitors[0].cookies["csrftoken"].value
    again, _ = visit(otc_pack.product.medicine.url, visitors[0])  # now with their cookie: the same secret, masked anew
    assert visitors[0].cookies["csrftoken"].value == cookie
    tokens[0] |= set(TOKEN.findall(again.content.decode()))
    for n, visitor in enumerate(visitors):
        for token in sorted(tokens[n]):
            added = visitor.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1", "csrfmiddlewaretoken": token})
            assert added.status_code == 303  # the token of the cached page matches this visitor's cookie
        other = sorted(tokens[1 - n])[0]
        refused = visitor.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1", "csrfmiddlewaretoken": other})
        assert refused.status_code == 403  # and another visitor's does not


def test_a_visitor_with_a_cart_or_signed_in_is_never_served_or_stored(guide, otc_pack):
    shopper = Client()
    shopper.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "2"})
    page, queries = visit(guide.url, shopper)
    assert queries > 0 and "Cart (2)" in page.content.decode()
    assert "Cart (2)" not in visit(guide.url)[0].content.decode()  # their count never reached the cache

    reader = Client()
    reader.force_login(make_user("robin@example.com", first_name="Robin"))
    page, queries = visit(guide.url, reader)
    assert queries > 0 and "My account" in page.content.decode() and "no-store" in page["Cache-Control"]
    stranger, _ = visit(guide.url)
    assert "My account" not in stranger.content.decode() and "Log in" in stranger.content.decode()


def test_a_new_revision_is_on_the_next_request(guide):
    visit(guide.url)
    guide.summary = "A rewritten summary, published."
    guide.save_revision().publish()
    assert "A rewritten summary, published." in visit(guide.url)[0].content.decode()


def test_an_approved_comment_is_on_the_next_request(guide, pharmacist):
    comment = Comment.objects.create(page=guide, author_name="Sam", author_email="s@example.com", body="Thank you!")
    assert "Thank you!" not in visit(guide.url)[0].content.decode()
    discussion.approve([comment], pharmacist)
    assert "Thank you!" in visit(guide.url)[0].content.decode()


def test_a_price_change_and_stock_running_out_are_on_the_next_request(otc_pack):
    guide = otc_pack.product.medicine
    visit(guide.url)
    otc_pack.price, otc_pack.stock = Decimal("3.10"), 1
    otc_pack.save()
    html = visit(guide.url)[0].content.decode()
    assert "$3.10" in html and "$2.50" not in html and "In stock" in html

    place([(otc_pack, 1)])  # the last one on the shelf, taken by a checkout's UPDATE (no save signal)
    assert "Out of stock" in visit(guide.url)[0].content.decode()


def test_a_corrected_reference_and_a_verification_give_a_new_version(guide):
    reference = guide.guide_references.first().reference
    visit(guide.url)
    reference.title = "A corrected title of the trial"
    reference.save()
    assert "A corrected title of the trial" in visit(guide.url)[0].content.decode()
    before = freshness.content_version()
    reference.verification_status = VerificationStatus.VERIFIED
    reference.save(update_fields=["verification_status"])
    assert freshness.content_version() != before


def test_a_setting_is_on_the_next_request(guide, site_pages):
    visit(guide.url)
    pharmacy = PharmacySettings.objects.get()
    pharmacy.price_notice = "Prices checked every morning."
    pharmacy.save()
    assert "Prices checked every morning." in visit(guide.url)[0].content.decode()


def test_a_pending_comment_leaves_the_cache_alone(guide):
    visit(guide.url)
    before = freshness.content_version()
    Comment.objects.create(page=guide, author_name="Sam", author_email="s@example.com", body="Spam?")
    assert freshness.content_version() == before


def test_page_cache_off_renders_every_time(guide, settings):
    settings.PAGE_CACHE = False
    first, _ = visit(guide.url)
    second, _ = visit(guide.url)  # rendered again (its parts kept per content version: tests/test_cold_render.py)
    assert not first.has_header("ETag") and not second.has_header("ETag")


def test_the_front_cache_gets_one_page_for_everyone_whose_forms_post_from_this_site(guide, otc_pack):
    nginx = Client(enforce_csrf_checks=True)
    response, _ = visit(otc_pack.product.medicine.url, nginx, HTTP_X_FRONT_CACHE="shared")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "apothecary:csrf" not in html
    assert not response.cookies and response["X-Accel-Expires"] == "600"
    again, queries = visit(otc_pack.product.medicine.url, nginx, HTTP_X_FRONT_CACHE="shared")
    assert queries == 0 and again.content == response.content and not again.cookies
    direct, _ = visit(otc_pack.product.medicine.url)  # the app's own copy is another entry, with a real token
    assert TOKEN.search(direct.content.decode()) and "X-Accel-Expires" not in direct

    actions = set(re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', html))
    assert {"/cart/add/", f"/comments/{otc_pack.product.medicine.pk}/post/"} <= actions
    for action in actions:  # every form of the kept page goes to a view that takes a post from the site's pages
        assert getattr(resolve(action).func, "same_origin_posts", False), action
    visitor = Client(enforce_csrf_checks=True)
    added = visitor.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert added.status_code == 303


def test_private_and_personal_pages_are_never_stored(guide, otc_pack):
    for path in ("/cart/", "/account/login/", "/search/?q=baclofen"):
        visit(path)
        assert visit(path)[1] > 0, path


def wsgi_get(path, **extra):
    """One GET through the project's WSGI application (apothecary/wsgi.py), as a server calls it."""
    from apothecary.wsgi import application

    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", **extra)
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=headers)

    # As Django's test client does: the test's database connection (its transaction) outlives the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as queries:
            answer_body = application(environ, start_response)
            body = b"".join(answer_body)
            getattr(answer_body, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body.decode(), len(queries)


def test_the_wsgi_application_answers_a_cached_page_as_the_middleware_does(guide, otc_pack, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    path = otc_pack.product.medicine.url
    status, rendered_headers, _, rendered = wsgi_get(path)
    assert status == "200 OK" and rendered > 5
    status, headers, html, served = wsgi_get(path)
    assert status == "200 OK" and served == 0
    names = {name.lower() for name, _ in headers}
    assert {name.lower() for name, _ in rendered_headers} <= names  # security headers, CSP, ETag...: all of them
    cookie = next(value for name, value in headers if name == "Set-Cookie" and "csrftoken=" in value)
    secret = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = secret
    token = TOKEN.search(html).group(1)
    assert "Cart (0)" in html
    added = visitor.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1", "csrfmiddlewaretoken": token})
    assert added.status_code == 303  # the token on the page goes with the cookie given with it

    _, _, html, _ = wsgi_get(path, HTTP_COOKIE=f"sessionid={visitor.cookies['sessionid'].value}")
    assert "Cart (1)" in html  # a visitor with a cart: Django's page of their own (the kept one says "Cart (0)")
    status, headers, _, _ = wsgi_get(path, HTTP_HOST="evil.example")
    assert status.startswith("400")  # a host the site does not serve is Django's to refuse


def test_a_revalidation_that_finds_the_page_changed_gets_the_page_with_the_cookie_its_forms_need(otc_pack, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    path = otc_pack.product.medicine.url
    wsgi_get(path)  # kept
    status, headers, html, _ = wsgi_get(path, HTTP_IF_NONE_MATCH='W/"an-older-copy"')
    assert status == "200 OK"
    cookie = next(value for name, value in headers if name == "Set-Cookie" and value.startswith("csrftoken="))
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = cookie.split("=", 1)[1].split(";", 1)[0]
    token = TOKEN.search(html).group(1)
    added = visitor.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1", "csrfmiddlewaretoken": token})
    assert added.status_code == 303
