"""Placing an order through ``orders.services``: prices from the catalogue, stock, quantities, payment, and one
order per checkout form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import Pack
from orders import services
from orders.models import Order, OrderLine, OrderStatus
from orders.services import OrderError, OutOfStock
from orders.tests.conftest import place, stock

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# ---------------------------------------------------------------------------
# Placing an order


def test_prices_come_from_the_catalogue_and_stay_on_the_order(rx_pack, otc_pack, patient):
    order = place([(rx_pack, 2), (otc_pack, 3)], patient)
    assert isinstance(order.total, Decimal) and order.total == Decimal("38.10")  # 2 × 15.30 + 3 × 2.50
    Pack.objects.filter(pk=rx_pack.pk).update(price=Decimal("99.99"))
    order = Order.objects.get(pk=order.pk)
    assert isinstance(order.total, Decimal) and order.total == Decimal("38.10")
    line = order.lines.get(pack=rx_pack)
    assert (line.unit_price, line.quantity, line.line_total) == (Decimal("15.30"), 2, Decimal("30.60"))
    assert line.requires_prescription and not order.lines.get(pack=otc_pack).requires_prescription


def test_the_client_sends_quantities_only(otc_pack):
    with pytest.raises(TypeError):
        services.place_order(
            quantities={otc_pack.pk: 1},
            prices={otc_pack.pk: Decimal("0.01")},
            customer=None,
            email="guest@example.com",
            address={},
            payment_method="pay_on_delivery",
            checkout_token="t",
        )
    assert not Order.objects.exists()


def test_a_guest_cannot_order_a_prescription_medicine(rx_pack, otc_pack):
    from django.contrib.auth.models import AnonymousUser

    for customer in (None, AnonymousUser()):
        with pytest.raises(OrderError, match="need an account"):
            place([(otc_pack, 1), (rx_pack, 1)], customer)
    assert not Order.objects.exists()
    assert (stock(rx_pack), stock(otc_pack)) == (10, 50)


def test_a_guest_ordering_otc_is_approved_at_once(otc_pack):
    order = place([(otc_pack, 2)], None, email="guest@example.com")
    assert order.status == OrderStatus.APPROVED and order.customer is None
    assert list(order.events.values_list("from_status", "to_status")) == [
        ("", OrderStatus.PLACED),
        (OrderStatus.PLACED, OrderStatus.APPROVED),
    ]
    assert stock(otc_pack) == 48


def test_a_prescription_order_waits_for_the_prescription(rx_pack, patient):
    order = place([(rx_pack, 1)], patient)
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION and order.customer == patient
    assert order.needs_prescription and stock(rx_pack) == 9


def test_an_unknown_or_inactive_pack_is_refused(otc_pack, rx_pack, patient):
    with pytest.raises(OrderError, match="no longer sold"):
        place([(otc_pack, 1)] + [(Pack(pk=999_999), 1)], patient)
    rx_pack.product.active = False
    rx_pack.product.save()
    with pytest.raises(OrderError, match="no longer sold"):
        place([(otc_pack, 1), (rx_pack, 1)], patient)
    assert not Order.objects.exists() and (stock(otc_pack), stock(rx_pack)) == (50, 10)


@pytest.mark.parametrize("quantity", [0, -1, 21, "2", 1.5])
def test_quantity_out_of_range_is_refused(otc_pack, quantity):
    with pytest.raises(ValidationError, match="between 1 and 20"):
        place([(otc_pack, quantity)])
    assert not Order.objects.exists() and stock(otc_pack) == 50


def test_an_empty_cart_is_refused(db):
    with pytest.raises(ValidationError, match="empty"):
        place([])


def test_an_unknown_payment_method_is_refused(otc_pack):
    with pytest.raises(ValidationError, match="payment method"):
        place([(otc_pack, 1)], payment_method="bitcoin")
    assert stock(otc_pack) == 50


def test_bank_transfer_reference_is_the_order_number(otc_pack):
    order = place([(otc_pack, 1)], payment_method="bank_transfer")
    assert order.payment_method == "bank_transfer" and order.payment_reference == order.number


def test_not_enough_stock_refuses_the_whole_order(otc_pack, rx_pack, patient):
    with pytest.raises(OutOfStock, match="Not enough stock") as refused:
        place([(otc_pack, 2), (rx_pack, 11)], patient)
    assert "Baclofen 10 mg tablet" in str(refused.value)
    assert (stock(otc_pack), stock(rx_pack)) == (50, 10)
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    place([(rx_pack, 10)], patient)  # exactly what is left is fine
    assert stock(rx_pack) == 0


def test_the_same_checkout_token_gives_the_same_order(otc_pack, patient):
    first = place([(otc_pack, 2)], patient, token="checkout-1")
    second = place([(otc_pack, 2)], patient, token="checkout-1")
    assert first.pk == second.pk
    assert Order.objects.count() == 1 and stock(otc_pack) == 48
