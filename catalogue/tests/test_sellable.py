"""A pack that can be sold: ``Pack.objects.sellable()`` is the one definition; the cart, checkout, product box, API
and FHIR all sell from it, so a pack of a guide behind a privacy restriction is never shown for sale nor bought."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from wagtail.models import PageViewRestriction

from catalogue.models import Pack, Product
from medicines.models import LegalStatus
from orders import services
from orders.cart import Cart
from orders.tests.conftest import place
from tests.factories import make_medicine, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_pack(site_pages, drug_class):
    """An over-the-counter pack in stock, approved and active, of a live guide only logged-in readers may see."""
    guide = make_medicine(site_pages["medicines"], drug_class, title="Ibuprofen", legal_status=LegalStatus.GENERAL_SALE)
    pack = make_product(guide, "200 mg", packs=((24, "4.80", 5),)).packs.get()
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    return pack


def test_a_pack_of_a_privacy_restricted_guide_is_not_sellable(restricted_pack):
    assert Product.objects.available().filter(pk=restricted_pack.product_id).exists()  # all else is in order
    assert not Pack.objects.sellable().filter(pk=restricted_pack.pk).exists()
    assert not Product.objects.published().filter(pk=restricted_pack.product_id).exists()


def test_a_pack_of_a_privacy_restricted_guide_cannot_be_added_to_the_cart(client, restricted_pack):
    response = client.post(reverse("orders:cart_add"), {"pack": restricted_pack.pk, "quantity": 1})
    assert response.status_code == 404
    assert Cart(client.session).quantities() == {}


def test_a_pack_of_a_privacy_restricted_guide_cannot_be_checked_out(client, restricted_pack):
    with pytest.raises(services.OrderError, match="no longer sold"):
        place([(restricted_pack, 1)], None, email="guest@example.com")
    restricted_pack.refresh_from_db()
    assert restricted_pack.stock == 5


def test_the_product_box_offers_no_pack_of_a_privacy_restricted_guide(restricted_pack):
    guide = restricted_pack.product.medicine
    html = Template("{% load catalogue_tags %}{% product_box medicine %}").render(Context({"medicine": guide}))
    assert "add-to-cart" not in html
    assert "No packs of Ibuprofen are sold" in html
