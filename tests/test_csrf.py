"""The forms of pages the front cache serves to everyone post without a token, from this site's own pages only.

``@same_origin_posts`` views (adding to the cart, posting a question) take a post with no token when the browser
says it comes from this origin (Sec-Fetch-Site, or Origin from older browsers); a post from another site, from another
host of the same site, or saying nothing, is refused as Django refuses any post without its token; every other view
still needs the token whatever the headers say.
"""

from __future__ import annotations

import pytest
from django.test import Client

from discussion.forms import make_timestamp
from discussion.models import Comment

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def add_to_cart(pack, **headers):
    client = Client(enforce_csrf_checks=True)
    return client.post("/cart/add/", {"pack": pack.pk, "quantity": "1"}, **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": SITE},
        {"HTTP_ORIGIN": SITE},  # a browser too old for Fetch Metadata
    ],
)
def test_a_post_from_this_sites_own_page_needs_no_token(otc_pack, headers):
    response = add_to_cart(otc_pack, **headers)
    assert response.status_code == 303
    assert Client().get("/cart/").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # another host of the same site
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": SITE},  # the browser's word wins over Origin
        {"HTTP_ORIGIN": "http://attacker.example"},
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_ORIGIN": "null"},
        {},  # says nothing: the token is needed, as for any post
    ],
)
def test_a_post_from_anywhere_else_without_its_token_is_refused(otc_pack, headers):
    response = add_to_cart(otc_pack, **headers)
    assert response.status_code == 403
    assert "sessionid" not in response.cookies  # nothing reached the cart


def test_the_token_still_works_from_any_browser(otc_pack):
    client = Client(enforce_csrf_checks=True)
    page = client.get(otc_pack.product.medicine.url)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 303


def test_a_question_posts_from_the_sites_own_page(medicine):
    client = Client(enforce_csrf_checks=True)
    form = {
        "name": "Ana Reader",
        "email": "ana@example.com",
        "comment": "How should I store it?",
        "website": "",
        "timestamp": make_timestamp(medicine.pk),
    }
    refused = client.post(f"/comments/{medicine.pk}/post/", form, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403 and not Comment.objects.exists()
    posted = client.post(f"/comments/{medicine.pk}/post/", form, HTTP_SEC_FETCH_SITE="same-origin")
    assert posted.status_code == 303 and Comment.objects.get().body == "How should I store it?"


def test_other_views_need_their_token_even_from_the_sites_own_pages(otc_pack):
    client = Client(enforce_csrf_checks=True)
    same_origin = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": SITE}
    assert client.post("/cart/update/", {"pack": otc_pack.pk, "quantity": "2"}, **same_origin).status_code == 403
    login = {"username": "someone@example.com", "password": "x"}
    assert client.post("/account/login/", login, **same_origin).status_code == 403
