"""Controlled medicines: refused online unless the operator sells them, limited per order, and approved only
against a recent, dated prescription."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from catalogue.models import Pack
from catalogue.services import approve_product
from orders import services
from orders.models import Order, OrderStatus
from orders.services import OrderError
from orders.tests.conftest import PRESCRIBER, approve_all, dispensing, place, send_to_review, stock
from prescriptions.models import (
    PrescriptionDecision,
    PrescriptionItem,
)
from prescriptions.services import CHECK_NAMES
from tests.factories import approving_pharmacist

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# ---------------------------------------------------------------------------
# Controlled medicines


@override_settings(SELL_CONTROLLED_ONLINE=False)
def test_controlled_medicines_are_not_sold_online_by_default(controlled_pack, patient):
    with pytest.raises(OrderError, match="controlled medicine .*not supply controlled medicines online"):
        place([(controlled_pack, 1)], patient)
    assert not Order.objects.exists() and stock(controlled_pack) == 10


@override_settings(SELL_CONTROLLED_ONLINE=True, CONTROLLED_MAX_PACKS_PER_ORDER=1)
def test_controlled_packs_are_limited_per_order(controlled_pack, patient):
    with pytest.raises(OrderError, match="at most 1 pack"):
        place([(controlled_pack, 2)], patient)
    assert not Order.objects.exists() and stock(controlled_pack) == 10
    assert place([(controlled_pack, 1)], patient).status == OrderStatus.AWAITING_PRESCRIPTION


@override_settings(SELL_CONTROLLED_ONLINE=True, CONTROLLED_MAX_PACKS_PER_ORDER=1)
def test_controlled_limit_counts_every_line_of_the_order(controlled_pack, controlled_medicine, patient):
    """The limit is per order: two lines of one pack each (two pack sizes or strengths) are two packs."""
    larger = Pack.objects.create(
        product=controlled_pack.product, units=60, price=Decimal("38.00"), stock=10, sku="CAR-350-60"
    )
    approve_product(controlled_pack.product, approving_pharmacist())  # a new pack waits for a pharmacist
    with pytest.raises(OrderError, match="at most 1 pack"):
        place([(controlled_pack, 1), (larger, 1)], patient)
    assert not Order.objects.exists()


def controlled_in_review(pack, patient, issued_on=None):
    order = send_to_review(place([(pack, 1)], patient))
    if issued_on is not None:
        order.prescription.issued_on = issued_on
        order.prescription.save()
    return order


@override_settings(SELL_CONTROLLED_ONLINE=True, CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS=30)
def test_controlled_approval_needs_a_recent_dated_prescription(controlled_pack, patient, pharmacist):
    order = controlled_in_review(controlled_pack, patient)
    line = order.lines.get()
    with pytest.raises(ValidationError, match="within the last 30 days"):
        services.review_order(order, pharmacist, approve_line_ids=[line.pk])  # no date anywhere
    with pytest.raises(ValidationError, match="within the last 30 days"):
        services.review_order(order, pharmacist, approve_line_ids=[line.pk], issued_on=TODAY() - timedelta(days=31))
    order.prescription.issued_on = TODAY() - timedelta(days=45)
    order.prescription.save()
    with pytest.raises(ValidationError, match="within the last 30 days"):
        services.review_order(order, pharmacist, approve_line_ids=[line.pk])
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()
    assert not PrescriptionItem.objects.exists()

    services.review_order(
        order,
        pharmacist,
        approve_line_ids=[line.pk],
        issued_on=TODAY() - timedelta(days=30),
        checks=CHECK_NAMES,
        **PRESCRIBER,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.prescription.issued_on == TODAY() - timedelta(days=30)


@override_settings(SELL_CONTROLLED_ONLINE=True)
def test_controlled_approval_with_the_prescriptions_own_date(controlled_pack, patient, pharmacist):
    order = controlled_in_review(controlled_pack, patient, issued_on=TODAY() - timedelta(days=2))
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED
    services.dispense(order, pharmacist, dispensing(order))


@override_settings(SELL_CONTROLLED_ONLINE=True)
def test_controlled_approval_refuses_a_prescription_dated_in_the_future(controlled_pack, patient, pharmacist):
    order = controlled_in_review(controlled_pack, patient)
    with pytest.raises(ValidationError):
        approve_all(order, pharmacist, issued_on=TODAY() + timedelta(days=10))
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW


def test_controlled_approval_refused_once_online_sales_are_turned_off(controlled_pack, patient, pharmacist):
    with override_settings(SELL_CONTROLLED_ONLINE=True):
        order = controlled_in_review(controlled_pack, patient, issued_on=TODAY())
    with override_settings(SELL_CONTROLLED_ONLINE=False), pytest.raises(OrderError, match="not supplied online"):
        approve_all(order, pharmacist)
