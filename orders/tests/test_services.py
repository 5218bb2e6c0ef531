"""Ordering rules, through ``orders.services`` as the views, the admin and a shell call would use them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from catalogue.models import Pack
from catalogue.services import approve_product
from orders import services
from orders.models import Order, OrderEvent, OrderLine, OrderStatus
from orders.services import InvalidTransition, OrderError, OutOfStock, PrescriptionNotCovering
from orders.tests.conftest import approve_all, place, send_to_review, stock
from prescriptions.models import (
    DecisionKind,
    ImmutableRecordError,
    PrescriptionDecision,
    PrescriptionItem,
    PrescriptionStatus,
)
from tests.factories import approving_pharmacist, make_medicine, make_product, make_reference, make_user

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

    services.review_order(order, pharmacist, approve_line_ids=[line.pk], issued_on=TODAY() - timedelta(days=30))
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.prescription.issued_on == TODAY() - timedelta(days=30)


@override_settings(SELL_CONTROLLED_ONLINE=True)
def test_controlled_approval_with_the_prescriptions_own_date(controlled_pack, patient, pharmacist):
    order = controlled_in_review(controlled_pack, patient, issued_on=TODAY() - timedelta(days=2))
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED
    services.dispense(order, pharmacist)


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
        services.dispense(order, pharmacist)
    order.refresh_from_db()
    assert order.status == status
    assert not order.events.filter(to_status=OrderStatus.DISPENSED).exists()


def force_status(order, status):
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()


def test_happy_path_review_dispense_ship_deliver(rx_pack, otc_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 2), (otc_pack, 1)], patient))
    decision = approve_all(order, pharmacist, reason="Checked with the prescriber.")
    line = order.lines.get(pack=rx_pack)
    assert line.prescription_item.units == 60 and line.prescription_item.product == rx_pack.product
    assert line.prescription_item.valid_until >= TODAY()
    assert decision.decision == DecisionKind.APPROVED
    services.dispense(order, pharmacist)
    with pytest.raises(ValidationError, match="tracking number"):
        services.ship(order, by=pharmacist, tracking_number="  ")
    services.ship(order, by=pharmacist, tracking_number=" 1Z999AA10123456784 ")
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
    services.dispense(order, pharmacist)
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
    services.dispense(order, pharmacist)


def test_no_dispensing_against_an_expired_item(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    item = order.lines.get().prescription_item
    item.valid_until = TODAY() - timedelta(days=1)
    item.save()
    refuse_dispensing(order, pharmacist)
    item.valid_until = TODAY()
    item.save()
    services.dispense(order, pharmacist)  # valid until the end of today


def test_no_dispensing_against_another_patients_prescription(rx_pack, patient, pharmacist):
    someone_else = make_user("someone@example.com")
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


def test_one_verified_item_never_covers_two_lines(rx_pack, patient, pharmacist):
    from django.db import IntegrityError, transaction

    first = approved_order(rx_pack, patient, pharmacist)
    second = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(IntegrityError), transaction.atomic():
        point_line_at(second, first.lines.get().prescription_item)


def test_no_dispensing_by_someone_who_is_not_a_pharmacist(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    staff = make_user("staff@example.com", is_staff=True)
    dispatch = make_user("dispatch@example.com", groups=["Dispatch"], is_staff=True)
    former = make_user("former@example.com", groups=["Pharmacists"], is_staff=True, is_active=False)
    for user in (patient, staff, dispatch, former, None):
        refuse_dispensing(order, user, PermissionDenied)


def test_dispensing_an_order_twice_is_refused(rx_pack, patient, pharmacist):
    order = approved_order(rx_pack, patient, pharmacist)
    services.dispense(order, pharmacist)
    with pytest.raises(InvalidTransition):
        services.dispense(order, pharmacist)
    assert order.events.filter(to_status=OrderStatus.DISPENSED).count() == 1


# ---------------------------------------------------------------------------
# The pharmacist's review


def test_attaching_another_patients_prescription_is_refused(rx_pack, patient):
    from prescriptions import services as prescription_services
    from tests.factories import make_prescription_upload

    order = place([(rx_pack, 1)], patient)
    theirs = prescription_services.submit_prescription(
        make_user("someone@example.com"), upload=make_prescription_upload()
    )
    with pytest.raises(PermissionDenied):
        services.attach_prescription(order, theirs)
    order.refresh_from_db()
    assert order.prescription is None and order.status == OrderStatus.AWAITING_PRESCRIPTION


def test_partial_approval_removes_the_other_lines_and_returns_their_stock(
    rx_pack, otc_pack, medicine, patient, pharmacist
):
    other = make_product(medicine, strength="20 mg", packs=((30, "21.00", 10),)).packs.get()
    order = send_to_review(place([(rx_pack, 2), (other, 3), (otc_pack, 1)], patient))
    assert order.total == Decimal("96.10")
    keep = order.lines.get(pack=rx_pack)
    decision = services.review_order(
        order, pharmacist, approve_line_ids=[keep.pk], reason="Only 10 mg prescribed.", issued_on=TODAY()
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.total == Decimal("33.10")  # 2 × 15.30 + 1 × 2.50; the 20 mg line is neither sent nor charged
    assert isinstance(order.total, Decimal)
    removed = order.lines.get(pack=other)
    assert removed.removed and removed.prescription_item is None
    assert not order.lines.get(pack=otc_pack).removed
    assert (stock(rx_pack), stock(other), stock(otc_pack)) == (8, 10, 49)
    assert decision.decision == DecisionKind.PARTLY_APPROVED
    assert order.prescription.status == PrescriptionStatus.PARTLY_APPROVED
    assert decision.details["partial"] is True
    assert decision.details["removed_lines"] == [removed.description]
    services.dispense(order, pharmacist)


def test_a_rejection_needs_a_reason(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="reason"):
        services.review_order(order, pharmacist, approve_line_ids=[], reason="  ")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and stock(rx_pack) == 9
    assert not PrescriptionDecision.objects.exists()
    assert order.prescription.status == PrescriptionStatus.SUBMITTED


def test_only_a_pharmacist_reviews_and_only_orders_in_review(rx_pack, patient, pharmacist):
    order = place([(rx_pack, 1)], patient)
    with pytest.raises(OrderError, match="not waiting"):
        approve_all(order, pharmacist)
    send_to_review(order)
    with pytest.raises(PermissionDenied):
        approve_all(order, make_user("staff@example.com", is_staff=True))
    with pytest.raises(ValidationError, match="expired"):
        approve_all(order, pharmacist, valid_until=TODAY() - timedelta(days=1))
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()


def test_an_allergy_to_the_ingredient_needs_an_override(rx_pack, patient, pharmacist):
    patient.allergies = "penicillin, Baclofen"
    patient.save()
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="allergy to “Baclofen”"):
        approve_all(order, pharmacist)
    with pytest.raises(ValidationError):
        approve_all(order, pharmacist, override_reason="   ")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    decision = approve_all(order, pharmacist, override_reason="Prescriber confirmed: intolerance, not allergy.")
    assert order.status == OrderStatus.APPROVED
    assert decision.override_reason == "Prescriber confirmed: intolerance, not allergy."
    assert any("allergy" in warning for warning in decision.details["warnings"])


def test_an_allergy_to_something_else_is_no_warning(rx_pack, patient, pharmacist):
    patient.allergies = "penicillin"
    patient.save()
    order = send_to_review(place([(rx_pack, 1)], patient))
    assert services.safety_checks(order) == []
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED


@pytest.fixture
def tizanidine_pack(site_pages, drug_class):
    from medicines.models import Interaction

    reference = make_reference()
    tizanidine = make_medicine(site_pages["medicines"], drug_class, "Tizanidine", references=[reference])
    Interaction.objects.create(
        page=tizanidine,
        substance="Baclofen and other muscle relaxants",
        severity="major",
        effect="Additive drowsiness and low blood pressure.",
        reference=reference,
        sort_order=0,
    )
    return make_product(tizanidine, strength="4 mg", packs=((30, "12.60", 10),)).packs.get()


def test_a_major_interaction_with_another_active_order_needs_an_override(rx_pack, tizanidine_pack, patient, pharmacist):
    place([(tizanidine_pack, 1)], patient)  # awaiting its prescription: still active
    order = send_to_review(place([(rx_pack, 1)], patient))
    [warning] = services.safety_checks(order)
    assert warning.severe and warning.kind == "interaction" and "with another active order" in warning.message
    with pytest.raises(ValidationError, match="override reason"):
        approve_all(order, pharmacist)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()
    decision = approve_all(order, pharmacist, override_reason="Doses reviewed with the neurologist.")
    assert order.status == OrderStatus.APPROVED
    assert decision.override_reason == "Doses reviewed with the neurologist."


def test_an_interaction_with_a_cancelled_order_is_no_warning(rx_pack, tizanidine_pack, patient, pharmacist):
    services.cancel(place([(tizanidine_pack, 1)], patient), by=patient)
    order = send_to_review(place([(rx_pack, 1)], patient))
    assert services.safety_checks(order) == []
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED


def test_the_decision_is_logged_and_cannot_be_changed_or_deleted(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    decision = approve_all(order, pharmacist, reason="Matches the prescription.")
    decision = PrescriptionDecision.objects.get(pk=decision.pk)
    assert (decision.pharmacist, decision.decision, decision.reason) == (
        pharmacist,
        DecisionKind.APPROVED,
        "Matches the prescription.",
    )
    assert decision.prescription == order.prescription
    assert decision.details["order"] == order.number
    assert decision.details["approved_lines"] == [order.lines.get().description]
    decision.reason = "Something else."
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    assert PrescriptionDecision.objects.get(pk=decision.pk).reason == "Matches the prescription."


def test_the_decision_log_cannot_be_changed_in_bulk_either(rx_pack, patient, pharmacist):
    """The admin's "delete selected" and any queryset call must not erase or rewrite the record."""
    order = send_to_review(place([(rx_pack, 1)], patient))
    decision = approve_all(order, pharmacist, reason="Matches the prescription.")
    with pytest.raises(ImmutableRecordError):
        PrescriptionDecision.objects.filter(pk=decision.pk).update(reason="Rewritten.")
    with pytest.raises(ImmutableRecordError):
        PrescriptionDecision.objects.filter(pk=decision.pk).delete()
    assert PrescriptionDecision.objects.get(pk=decision.pk).reason == "Matches the prescription."


# ---------------------------------------------------------------------------
# E-mails: each step that concerns the patient, sent once the transaction commits


def subjects():
    return [message.subject.split(": ", 1)[1] for message in mail.outbox]


def test_every_step_e_mails_the_patient(rx_pack, patient, pharmacist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(rx_pack, 1)], patient, email="robin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        send_to_review(order)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(order, pharmacist)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispense(order, pharmacist)
    with django_capture_on_commit_callbacks(execute=True):
        services.ship(order, by=pharmacist, tracking_number="1Z999")
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(order, by=pharmacist)
    assert subjects() == [
        "Awaiting prescription",
        "In pharmacist review",
        "Approved",
        "Dispensed",
        "Shipped",
        "Delivered",
    ]
    assert all(message.to == ["robin@example.com"] for message in mail.outbox)
    assert all(order.number in message.subject for message in mail.outbox)
    assert "Tracking number: 1Z999" in mail.outbox[4].body


def test_rejection_and_refund_e_mails_give_the_reason(rx_pack, patient, pharmacist, django_capture_on_commit_callbacks):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with django_capture_on_commit_callbacks(execute=True):
        services.review_order(order, pharmacist, approve_line_ids=[], reason="The prescription has expired.")
    with django_capture_on_commit_callbacks(execute=True):
        services.refund(order, by=pharmacist)
    assert subjects() == ["Rejected", "Refunded"]
    assert "The prescription has expired." in mail.outbox[0].body


def test_a_guest_gets_the_approval_and_cancellation(otc_pack, pharmacist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(otc_pack, 1)], email="guest@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(order, by=pharmacist, reason="Out of our delivery area.")
    assert subjects() == ["Approved", "Cancelled"]
    assert mail.outbox[1].to == ["guest@example.com"] and "Out of our delivery area." in mail.outbox[1].body


def test_a_refused_step_sends_nothing(otc_pack, patient, django_capture_on_commit_callbacks):
    order = place([(otc_pack, 1)], patient)
    force_status(order, OrderStatus.SHIPPED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(InvalidTransition):
        services.cancel(order, by=patient)
    assert callbacks == [] and mail.outbox == []
    assert not OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED).exists()


def test_two_steps_in_one_transaction_each_e_mail_their_own_status(
    rx_pack, patient, django_capture_on_commit_callbacks
):
    """A checkout that places the order and attaches the prescription in one request sends two e-mails: each
    must name the step it announces, not the status the order has by the time the e-mails go out."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(rx_pack, 1)], patient)
        send_to_review(order)
    assert subjects() == ["Awaiting prescription", "In pharmacist review"]
    assert mail.outbox[0].body.startswith(f"Order {order.number}: Awaiting prescription.")


def test_an_expired_prescription_cannot_be_approved(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="has expired"):
        approve_all(order, pharmacist, issued_on=TODAY() - timedelta(days=settings.PRESCRIPTION_VALID_DAYS + 1))
    with pytest.raises(ValidationError, match="date written on the prescription"):
        approve_all(order, pharmacist, issued_on=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()


def test_valid_until_never_runs_past_the_prescriptions_validity(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    issued = TODAY() - timedelta(days=10)
    approve_all(order, pharmacist, issued_on=issued, valid_until=TODAY() + timedelta(days=3650))
    item = order.lines.get().prescription_item
    assert item.valid_until == issued + timedelta(days=settings.PRESCRIPTION_VALID_DAYS)


def test_a_controlled_item_is_valid_only_for_the_controlled_limit(controlled_pack, patient, pharmacist):
    with override_settings(SELL_CONTROLLED_ONLINE=True):
        order = send_to_review(place([(controlled_pack, 1)], patient))
        issued = TODAY() - timedelta(days=5)
        approve_all(order, pharmacist, issued_on=issued)
    item = order.lines.get().prescription_item
    assert item.valid_until == issued + timedelta(days=settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS)


def test_an_interaction_with_an_over_the_counter_line_of_the_same_order_needs_an_override(
    rx_pack, otc_pack, patient, pharmacist
):
    from medicines.models import Interaction, InteractionSeverity

    otc_medicine = otc_pack.product.medicine
    Interaction.objects.create(
        page=otc_medicine,
        substance="Baclofen",
        severity=InteractionSeverity.MAJOR,
        effect="Test interaction.",
        reference=make_reference(),
    )
    order = send_to_review(place([(rx_pack, 1), (otc_pack, 1)], patient))
    with pytest.raises(ValidationError, match="override reason"):
        approve_all(order, pharmacist)
    approve_all(order, pharmacist, override_reason="Discussed with the patient.")
    assert order.status == OrderStatus.APPROVED


def test_approving_a_line_of_another_order_is_refused(rx_pack, patient, pharmacist):
    other = place([(rx_pack, 1)], patient)
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="Only this order's prescription lines"):
        services.review_order(order, pharmacist, approve_line_ids=[other.lines.get().pk], issued_on=TODAY())
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
