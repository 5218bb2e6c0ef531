"""Pharmacy medicines (P) and per-product limits: how many packs one order may hold (refused at the cart and when
the order is placed), and the questionnaire a P medicine asks at checkout."""

from __future__ import annotations

import re

import pytest

from catalogue.models import Pack
from medicines.models import LegalStatus, PharmacyQuestion, QuestionKind
from orders.cart import Cart
from orders.models import Order
from orders.services import OrderError
from orders.tests.conftest import place, stock
from tests.factories import make_medicine, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def p_medicine(site_pages, drug_class):
    """A made-up pharmacy medicine (P) with one question of its own."""
    page = make_medicine(site_pages["medicines"], drug_class, "Examplofen", legal_status=LegalStatus.PHARMACY)
    PharmacyQuestion.objects.create(page=page, question="Have you taken it before?", kind=QuestionKind.YES_NO)
    return page


@pytest.fixture
def p_product(p_medicine):
    """Examplofen 200 mg tablets, at most 2 packs an order: 16 tablets ($3.00) and 32 tablets ($5.00)."""
    product = make_product(p_medicine, strength="200 mg", packs=((16, "3.00", 20), (32, "5.00", 20)))
    product.max_packs_per_order = 2
    product.save(update_fields=["max_packs_per_order"])
    return product


def packs_of(product) -> tuple[Pack, Pack]:
    small, large = product.packs.order_by("units")
    return small, large


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Quantity limits


def test_the_limit_counts_every_pack_size_and_place_order_refuses_more(p_product, otc_pack):
    small, large = packs_of(p_product)
    with pytest.raises(OrderError, match=r"Examplofen 200 mg tablet: at most 2 pack\(s\) per order.*has 3"):
        place([(small, 2), (large, 1), (otc_pack, 1)], email="guest@example.com")
    assert not Order.objects.exists()
    assert (stock(small), stock(large), stock(otc_pack)) == (20, 20, 50)
    with pytest.raises(OrderError, match="at most 2"):
        place([(small, 3)], email="guest@example.com")
    # A product without its own limit keeps the shop's general one.
    order = place([(otc_pack, 3)], email="guest@example.com")
    assert order.lines.get().quantity == 3


def test_adding_over_the_limit_keeps_what_is_allowed_and_says_so(client, p_product):
    small, large = packs_of(p_product)
    response = client.post("/cart/add/", {"pack": small.pk, "quantity": "5"}, follow=True)
    assert Cart(client.session).quantities() == {small.pk: 2}
    assert messages_of(response) == [
        "At most 2 packs of Examplofen 200 mg tablet per order, all pack sizes together: "
        "your cart now has 2 × Examplofen 200 mg tablet (16 tablets)."
    ]
    response = client.post("/cart/add/", {"pack": large.pk, "quantity": "1"}, follow=True)
    assert response.status_code == 200
    assert Cart(client.session).quantities() == {small.pk: 2}
    assert "At most 2 packs of Examplofen 200 mg tablet per order" in messages_of(response)[0]
    assert 'max="2"' in response.content.decode()  # the cart's quantity box follows the limit


def test_updating_over_the_limit_keeps_what_is_allowed_and_says_so(client, p_product):
    small, large = packs_of(p_product)
    client.post("/cart/add/", {"pack": small.pk, "quantity": "1"}, follow=True)
    client.post("/cart/add/", {"pack": large.pk, "quantity": "1"}, follow=True)
    response = client.post("/cart/update/", {"pack": small.pk, "quantity": "4"}, follow=True)
    assert response.status_code == 200
    assert Cart(client.session).quantities() == {small.pk: 1, large.pk: 1}
    assert "At most 2 packs of Examplofen 200 mg tablet per order" in messages_of(response)[0]
    client.post("/cart/remove/", {"pack": large.pk}, follow=True)
    response = client.post("/cart/update/", {"pack": small.pk, "quantity": "9"}, follow=True)
    assert Cart(client.session).quantities() == {small.pk: 2}
    assert "your cart now has 2 × Examplofen 200 mg tablet (16 tablets)" in messages_of(response)[-1]


def test_the_product_boxs_quantity_box_follows_the_limit(client, p_product, p_medicine):
    html = client.get(p_medicine.url).content.decode()
    maxima = re.findall(r'<input type="number" name="quantity" value="1" min="1" max="(\d+)"', html)
    assert maxima == ["2", "2"]
