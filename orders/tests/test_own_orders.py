"""A pharmacist cannot approve or dispense an order they placed themselves; another pharmacist can. Through the
services and through the admin's review and dispense screens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from orders import services
from orders.models import OrderStatus
from orders.tests.admin.conftest import approve_data, dispense_data, in_review, messages_of, rx_line_ids
from orders.tests.conftest import dispensing
from tests.factories import health_on_file, make_pharmacist, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def buying_pharmacist(site_pages):
    return make_pharmacist("buyer-pharmacist@example.com", **health_on_file())


@pytest.fixture
def colleague(site_pages):
    return make_pharmacist("colleague@example.com")


@pytest.fixture
def own_order(medicine, buying_pharmacist):
    pack = make_product(medicine, packs=((30, "15.30", 10),)).packs.get()
    return in_review([(pack, 1)], buying_pharmacist)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_pharmacist_cannot_approve_their_own_order(own_order, buying_pharmacist, colleague):
    with pytest.raises(services.OrderError, match="is your own: a pharmacist cannot review an order they placed"):
        services.review_order(own_order, buying_pharmacist, approve_line_ids=rx_line_ids(own_order))

    response = logged_in(buying_pharmacist).post(
        reverse("orders_admin:review", args=[own_order.pk]), approve_data(rx_line_ids(own_order)), follow=True
    )
    assert "Another pharmacist must do it." in messages_of(response)
    own_order.refresh_from_db()
    assert own_order.status == OrderStatus.IN_REVIEW

    logged_in(colleague).post(reverse("orders_admin:review", args=[own_order.pk]), approve_data(rx_line_ids(own_order)))
    own_order.refresh_from_db()
    assert own_order.status == OrderStatus.APPROVED


def test_a_pharmacist_cannot_dispense_their_own_order(own_order, buying_pharmacist, colleague):
    logged_in(colleague).post(reverse("orders_admin:review", args=[own_order.pk]), approve_data(rx_line_ids(own_order)))
    own_order.refresh_from_db()
    assert own_order.status == OrderStatus.APPROVED

    with pytest.raises(services.OrderError, match="a pharmacist cannot dispense an order they placed"):
        services.dispense(own_order, buying_pharmacist, dispensing(own_order))
    with pytest.raises(services.OrderError, match="cannot dispense an order they placed"):
        services.set_status(own_order, OrderStatus.DISPENSED, by=buying_pharmacist)
    response = logged_in(buying_pharmacist).post(
        reverse("orders_admin:dispense", args=[own_order.pk]), dispense_data(own_order), follow=True
    )
    assert "Another pharmacist must do it." in messages_of(response)
    own_order.refresh_from_db()
    assert own_order.status == OrderStatus.APPROVED

    services.dispense(own_order, colleague, dispensing(own_order))
    own_order.refresh_from_db()
    assert own_order.status == OrderStatus.DISPENSED


def test_a_guest_order_placed_with_the_pharmacists_e_mail_is_their_own_too(medicine, buying_pharmacist, colleague):
    from medicines.models import LegalStatus
    from tests.factories import make_medicine, make_order

    otc = make_medicine(
        medicine.get_parent(), medicine.drug_class, "Paracetamol", legal_status=LegalStatus.GENERAL_SALE
    )
    pack = make_product(otc, "500 mg", packs=((16, "2.50", 5),)).packs.get()
    order = make_order([(pack, 1)], customer=None, email="Buyer-Pharmacist@example.com")
    assert order.status == OrderStatus.APPROVED
    with pytest.raises(services.OrderError, match="is your own"):
        services.dispense(order, buying_pharmacist, dispensing(order))
    services.dispense(order, colleague, dispensing(order))
