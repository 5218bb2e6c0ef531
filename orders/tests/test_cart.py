"""The session cart: add, update, remove, prices from the server only, and a cart that survives logging in."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import Pack
from orders.cart import COUNT_KEY, SESSION_KEY, Cart
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db


def cart_of(client) -> dict[int, int]:
    return Cart(client.session).quantities()


def test_urls():
    assert reverse("orders:cart") == "/cart/"
    assert reverse("orders:cart_add") == "/cart/add/"
    assert reverse("orders:checkout") == "/checkout/"


# --- The Cart class


def test_cart_keeps_pack_ids_and_quantities_in_the_session():
    session = {}
    cart = Cart(session)
    assert cart.add(7, 3) == 3
    assert cart.add(7, 30) == 20  # never more than 20 packs a line
    cart.add(9, 1)
    assert session[SESSION_KEY] == {"7": 20, "9": 1}
    assert session[COUNT_KEY] == 21
    assert Cart(session).quantities() == {7: 20, 9: 1}
    cart.set(9, 4)
    cart.set(7, 0)
    assert Cart(session).quantities() == {9: 4} and session[COUNT_KEY] == 4
    cart.remove(9)
    assert len(Cart(session)) == 0
    cart.add(1, 1)
    cart.clear()
    assert SESSION_KEY not in session and COUNT_KEY not in session


def test_cart_ignores_garbage_in_the_session():
    assert Cart({SESSION_KEY: {"x": 1, "3": "2"}}).quantities() == {3: 2}


def test_priced_cart_drops_packs_no_longer_sold(rx_pack, otc_pack):
    session = {}
    cart = Cart(session)
    cart.add(rx_pack.pk, 2)
    cart.add(otc_pack.pk, 1)
    cart.add(999_999, 1)
    otc_pack.product.active = False
    otc_pack.product.save()
    priced = cart.priced()
    assert [line.pack.pk for line in priced.lines] == [rx_pack.pk]
    assert priced.total == Decimal("30.60")
    assert cart.dropped == 2
    assert Cart(session).quantities() == {rx_pack.pk: 2}


# --- Adding


def test_add_to_cart_and_see_server_prices_whatever_was_posted(client, rx_pack):
    response = client.post(
        "/cart/add/", {"pack": rx_pack.pk, "quantity": "2", "price": "0.01", "unit_price": "0.01", "total": "0.02"}
    )
    assert response.status_code == 303 and response["Location"] == "/cart/"
    assert cart_of(client) == {rx_pack.pk: 2}

    html = client.get("/cart/").content.decode()
    assert "Baclofen 10 mg tablet" in html and "30 tablets" in html
    assert "$0.51" in html and "per tablet" in html  # per unit
    assert "$15.30" in html  # per pack
    assert "$30.60" in html  # line total and total
    assert "$0.01" not in html and "$0.02" not in html
    assert "Prescription required" in html
    assert "you will need an account and a prescription" in html
    assert "Cart (2)" in html


def test_add_goes_back_to_a_safe_next_with_a_message(client, rx_pack, medicine):
    response = client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1", "next": medicine.url}, follow=True)
    assert response.redirect_chain == [(medicine.url, 303)]
    assert "Added 1 × Baclofen 10 mg tablet (30 tablets) to your cart." in response.content.decode()
    response = client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/cart/"


def test_adding_again_adds_up_to_twenty(client, rx_pack):
    client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "15"})
    response = client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "15"}, follow=True)
    assert cart_of(client) == {rx_pack.pk: 20}
    assert "At most 20 packs of each item" in response.content.decode()


@pytest.mark.parametrize("quantity", ["0", "21", "-1", "abc", ""])
def test_add_refuses_a_bad_quantity(client, rx_pack, quantity):
    response = client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": quantity})
    assert response.status_code == 400
    html = response.content.decode()
    assert "packs" in html and 'class="message message--error"' in html
    assert cart_of(client) == {}


def test_add_an_unknown_or_inactive_pack_is_not_found(client, rx_pack):
    assert client.post("/cart/add/", {"pack": 999_999, "quantity": "1"}).status_code == 404
    rx_pack.product.active = False
    rx_pack.product.save()
    assert client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"}).status_code == 404
    assert cart_of(client) == {}


def test_add_a_pack_of_an_unpublished_medicine_is_not_found(client, rx_pack, medicine):
    medicine.unpublish()
    assert client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"}).status_code == 404


def test_add_an_out_of_stock_pack_is_refused_with_a_message(client, rx_pack):
    Pack.objects.filter(pk=rx_pack.pk).update(stock=0)
    response = client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"}, follow=True)
    assert "is out of stock" in response.content.decode()
    assert cart_of(client) == {}


def test_add_needs_post_and_csrf(rx_pack):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.get("/cart/add/").status_code == 405
    assert csrf_client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"}).status_code == 403


# --- Updating and removing


def test_update_and_remove(client, rx_pack, otc_pack):
    client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"})
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"})
    response = client.post("/cart/update/", {"pack": rx_pack.pk, "quantity": "3"})
    assert response.status_code == 303
    assert cart_of(client) == {rx_pack.pk: 3, otc_pack.pk: 1}
    html = client.get("/cart/").content.decode()
    assert "$45.90" in html and "$2.50" in html and "$48.40" in html

    assert client.post("/cart/update/", {"pack": rx_pack.pk, "quantity": "25"}).status_code == 400
    assert cart_of(client)[rx_pack.pk] == 3
    assert client.post("/cart/update/", {"pack": 999_999, "quantity": "2"}).status_code == 404

    assert client.post("/cart/remove/", {"pack": rx_pack.pk}).status_code == 303
    assert cart_of(client) == {otc_pack.pk: 1}
    html = client.get("/cart/").content.decode()
    assert "Prescription required" not in html and "you will need an account" not in html
    assert "Cart (1)" in html
    client.post("/cart/remove/", {"pack": otc_pack.pk})
    assert "Your cart is empty" in client.get("/cart/").content.decode()


def test_cart_page_says_when_the_stock_is_short(client, otc_pack):
    Pack.objects.filter(pk=otc_pack.pk).update(stock=5)
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "7"})
    assert "Not enough stock for this quantity" in client.get("/cart/").content.decode()


def test_cart_quantity_inputs_are_labelled(client, rx_pack):
    client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"})
    html = client.get("/cart/").content.decode()
    assert f'<label for="quantity-{rx_pack.pk}"' in html and f'id="quantity-{rx_pack.pk}"' in html


# --- Logging in keeps the cart


def test_the_cart_survives_logging_in(client, rx_pack):
    make_user("robin@example.com")
    client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "2"})
    response = client.post("/account/login/", {"username": "robin@example.com", "password": "pw", "next": "/cart/"})
    assert response["Location"] == "/cart/"
    assert "_auth_user_id" in client.session
    assert cart_of(client) == {rx_pack.pk: 2}
    assert "Cart (2)" in client.get("/cart/").content.decode()


def test_the_cart_survives_signing_up(client, rx_pack, mailoutbox):
    import re

    client.post("/cart/add/", {"pack": rx_pack.pk, "quantity": "1"})
    password = "correct-horse-battery-staple-42"
    client.post(
        "/account/signup/",
        {"email": "new@example.com", "full_name": "New Patient", "password1": password, "password2": password},
    )
    link = re.search(r"http://testserver(\S+/)", mailoutbox[-1].body).group(1)  # the confirmation link
    client.post(link, {"password": password})
    assert "_auth_user_id" in client.session
    assert cart_of(client) == {rx_pack.pk: 1}


# --- The product box's forms


def test_guide_page_has_an_add_to_cart_form_per_pack_in_stock(client, medicine):
    make_product(medicine, "10 mg", packs=[(30, "15.30", 4), (90, "40.00", 0)])
    html = client.get(medicine.url).content.decode()
    forms = re.findall(r'<form class="add-to-cart" method="post" action="/cart/add/">.*?</form>', html, re.S)
    assert len(forms) == 1  # the out-of-stock pack has no button
    form = forms[0]
    assert "csrfmiddlewaretoken" in form
    assert 'type="number" name="quantity" value="1" min="1" max="20"' in form
    assert "<label" in form and "Quantity" in form and "Add to cart" in form
    assert f'name="next" value="{medicine.url}"' in form
    assert "price" not in form
