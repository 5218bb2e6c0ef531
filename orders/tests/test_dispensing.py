"""Dispensing through ``orders.services``: never without an approved, unexpired prescription that covers the line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orders import services
from orders.models import OrderLine, OrderStatus
from orders.services import InvalidTransition, OrderError, PrescriptionNotCovering
from orders.tests.conftest import approve_all, carrier, dispensing, force_status, place, send_to_review
from prescriptions.models import (
    DecisionKind,
    PrescriptionItem,
    PrescriptionStatus,
)
from tests.factories import health_on_file, make_product, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# ---------------------------------------------------------------------------
# Dispensing: never without an approved, unexpired prescription that covers the line


def approved_order(pack, patient, pharmacist, quantity=1):
    order = send_to_review(place([(pack, quantity)], patient))
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED
    return order


def refuse_dispensing(order, pharmacist, error=PrescriptionNotCovering):
    status = order.status
    with pytest.raises(error):
        services.dispense(order, pharmacist, dispensing(order))
    order.refresh_from_db()
    assert order.status == status
    assert not order.events.filter(to_status=OrderStatus.DISPENSED).exists()


def test_happy_path_review_dispense_ship_deliver(rx_pack, otc_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 2), (otc_pack, 1)], patient))
    decision = approve_all(order, pharmacist, reason="Checked with the prescriber.")
    line = order.lines.get(pack=rx_pack)
    assert line.prescription_item.units == 60 and line.prescription_item.product == rx_pack.product
    assert line.prescription_item.valid_until >= TODAY()
    assert decision.decision == DecisionKind.APPROVED
    services.dispense(order, pharmacist, dispensing(order))
    with pytest.raises(ValidationError, match="tracking number"):
        services.ship(order, carrier=carrier(), by=pharmacist, tracking_number="  ")
    services.ship(order, carrier=carrier(), by=pharmacist, tracking_number=" 1Z999AA10123456784 ")
    services.deliver(order, by=pharmacist)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.tracking_number == "1Z999AA10123456784"
    assert list(order.events.values_list("to_status", "by")) == [
        (OrderStatus.PLACED, patient.pk),
        (OrderStatus.AWAITING_PRESCRIPTION, patient.pk),
        (OrderStatus.IN_REVIEW, patient.pk),
        (OrderStatus.APPROVED, pharmacist.pk),
        (OrderStatus.DISPENSED, pharmacist.pk),
        (OrderStatus.SHIPPED, pharmacist.pk),
        (OrderStatus.DELIVERED, pharmacist.pk),
    ]


def test_an_otc_order_is_dispensed_without_a_prescription(otc_pack, pharmacist):
    order = place([(otc_pack, 1)])
    services.dispense(order, pharmacist, dispensing(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPENSED


def test_no_dispensing_of_an_order_never_reviewed(rx_pack, patient, pharmacist):
    order = place([(rx_pack, 1)], patient)
    refuse_dispensing(order, pharmacist, OrderError)
    send_to_review(order)
    refuse_dispensing(order, pharmacist, OrderError)
    force_status(order, OrderStatus.APPROVED)  # even if its status were changed behind the services' back
    refuse_dispensing(order, pharmacist)


def test_no_dispensing_after_a_rejection(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    services.review_order(order, pharmacist, approve_line_ids=[], reason="Illegible.")
    order.refresh_from_db()
    assert order.prescription.status == PrescriptionStatus.REJECTED
    refuse_dispensing(order, pharmacist, OrderError)
    force_status(order, OrderStatus.APPROVED)
    refuse_dispensing(order, pharmacist)


def point_line_at(order, item):
    OrderLine.objects.filter(order=order).update(prescription_item=item)


def test_no_dispensing_against_an_item_for_another_product(rx_pack, medicine, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    other_product = make_product(medicine, strength="20 mg")
    item = PrescriptionItem.objects.create(
        prescription=order.prescription,
        product=other_product,
        units=300,
        valid_until=TODAY() + timedelta(days=30),
        approved_by=pharmacist,
    )
    point_line_at(order, item)
    refuse_dispensing(order, pharmacist)


def test_no_dispensing_against_an_item_for_fewer_units(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist, quantity=2)  # 60 tablets
    PrescriptionItem.objects.filter(pk=order.lines.get().prescription_item_id).update(units=59)
    refuse_dispensing(order, pharmacist)
    PrescriptionItem.objects.filter(pk=order.lines.get().prescription_item_id).update(units=60)
    services.dispense(order, pharmacist, dispensing(order))


def test_no_dispensing_against_an_expired_item(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    item = order.lines.get().prescription_item
    item.valid_until = TODAY() - timedelta(days=1)
    item.save()
    refuse_dispensing(order, pharmacist)
    item.valid_until = TODAY()
    item.save()
    services.dispense(order, pharmacist, dispensing(order))  # valid until the end of today


def test_no_dispensing_against_another_patients_prescription(rx_pack, patient, pharmacist):
    someone_else = make_user("someone@example.com", **health_on_file())
    theirs = approved_order(rx_pack, someone_else, pharmacist)
    mine = send_to_review(place([(rx_pack, 1)], patient))
    force_status(mine, OrderStatus.APPROVED)
    their_item = theirs.lines.get().prescription_item
    # An unused item on the other patient's prescription, for the same product and quantity.
    spare = PrescriptionItem.objects.create(
        prescription=their_item.prescription,
        product=their_item.product,
        units=their_item.units,
        valid_until=their_item.valid_until,
        approved_by=pharmacist,
    )
    point_line_at(mine, spare)
    refuse_dispensing(mine, pharmacist)


def test_a_one_off_verified_item_never_covers_two_lines(rx_pack, patient, pharmacist):
    first = approved_order(rx_pack, patient, pharmacist)
    second = send_to_review(place([(rx_pack, 1)], patient))
    point_line_at(second, first.lines.get().prescription_item)
    assert services.uncovered_lines(second) == list(second.lines.all())
    assert services.uncovered_lines(first) == []


def test_no_dispensing_by_someone_who_is_not_a_pharmacist(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    staff = make_user("staff@example.com", is_staff=True)
    dispatch = make_user("dispatch@example.com", groups=["Dispatch"], is_staff=True)
    former = make_user("former@example.com", groups=["Pharmacists"], is_staff=True, is_active=False)
    for user in (patient, staff, dispatch, former, None):
        refuse_dispensing(order, user, PermissionDenied)


def test_dispensing_an_order_twice_is_refused(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    services.dispense(order, pharmacist, dispensing(order))
    with pytest.raises(InvalidTransition):
        services.dispense(order, pharmacist, dispensing(order))
    assert order.events.filter(to_status=OrderStatus.DISPENSED).count() == 1
