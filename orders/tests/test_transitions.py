"""The order status machine: every (from, to) pair of statuses, through ``orders.services.set_status``.

An allowed move (``orders.models.TRANSITIONS``) changes the status and writes one OrderEvent; a refused move
raises InvalidTransition and changes nothing (status, events, stock). Leaving a status that holds stock for
rejected or cancelled puts the stock back on the shelf, exactly once.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from orders import services
from orders.models import CUSTOMER_CANCELLABLE, STOCK_HELD, TRANSITIONS, Order, OrderEvent, OrderStatus
from orders.services import InvalidTransition
from orders.tests.conftest import PRESCRIBER, approve_all, force_status, place, send_to_review, stock
from prescriptions.services import CHECK_NAMES

pytestmark = pytest.mark.django_db

ALL = list(OrderStatus)


def in_status(pack, status, quantity=2):
    """An OTC order (2 packs taken from the shelf) moved straight to ``status`` for the test."""
    order = place([(pack, quantity)])
    force_status(order, status)
    return order


def test_the_table_names_every_status():
    assert set(TRANSITIONS) == set(OrderStatus)
    assert all(targets <= set(OrderStatus) for targets in TRANSITIONS.values())


@pytest.mark.parametrize("from_status", ALL, ids=[s.value for s in ALL])
def test_every_move_from(from_status, otc_pack, pharmacist):
    for to_status in ALL:
        order = in_status(otc_pack, from_status)
        shelf = stock(otc_pack)
        events = order.events.count()
        if to_status in TRANSITIONS[from_status]:
            event = services.set_status(order, to_status, by=pharmacist, note=f"to {to_status}")
            order.refresh_from_db()
            assert order.status == to_status, (from_status, to_status)
            assert order.events.count() == events + 1
            assert (event.from_status, event.to_status, event.by, event.note) == (
                from_status,
                to_status,
                pharmacist,
                f"to {to_status}",
            )
            returns = to_status in (OrderStatus.REJECTED, OrderStatus.CANCELLED) and from_status in STOCK_HELD
            assert stock(otc_pack) == shelf + (2 if returns else 0), (from_status, to_status)
        else:
            with pytest.raises(InvalidTransition, match="cannot go from"):
                services.set_status(order, to_status, by=pharmacist, note="refused")
            order.refresh_from_db()
            assert order.status == from_status, (from_status, to_status)
            assert order.events.count() == events
            assert order.status_note != "refused"
            assert stock(otc_pack) == shelf, (from_status, to_status)


@pytest.mark.parametrize("leave_with", [OrderStatus.CANCELLED, OrderStatus.REJECTED])
def test_stock_comes_back_exactly_once(otc_pack, pharmacist, leave_with):
    order = in_status(otc_pack, OrderStatus.IN_REVIEW, quantity=3)
    assert stock(otc_pack) == 47
    services.set_status(order, leave_with, by=pharmacist, note="No longer needed.")
    assert stock(otc_pack) == 50
    with pytest.raises(InvalidTransition):
        services.set_status(order, leave_with, by=pharmacist)
    with pytest.raises(InvalidTransition):
        services.cancel(order, by=pharmacist)
    services.refund(order, by=pharmacist)
    assert stock(otc_pack) == 50
    assert list(order.events.values_list("to_status", flat=True)) == [
        OrderStatus.PLACED,
        OrderStatus.APPROVED,  # placed as OTC, then moved to "in review" by the test
        leave_with,
        OrderStatus.REFUNDED,
    ]


@pytest.mark.parametrize("status", [OrderStatus.DISPENSED, OrderStatus.SHIPPED, OrderStatus.DELIVERED])
def test_an_order_that_left_the_pharmacy_cannot_be_cancelled(otc_pack, patient, status):
    order = in_status(otc_pack, status)
    shelf = stock(otc_pack)
    with pytest.raises(InvalidTransition):
        services.cancel(order, by=patient, reason="Changed my mind.")
    order.refresh_from_db()
    assert order.status == status and stock(otc_pack) == shelf
    assert not OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED).exists()


def test_cancelling_after_a_partial_approval_returns_each_pack_once(rx_pack, medicine, patient, pharmacist):
    from tests.factories import make_product

    other = make_product(medicine, strength="20 mg", packs=((30, "21.00", 10),)).packs.get()
    order = place([(rx_pack, 2), (other, 3)], patient)
    assert (stock(rx_pack), stock(other)) == (8, 7)
    send_to_review(order)
    keep = order.lines.get(pack=rx_pack)
    services.review_order(
        order, pharmacist, approve_line_ids=[keep.pk], issued_on=timezone.localdate(), checks=CHECK_NAMES, **PRESCRIBER
    )
    assert (stock(rx_pack), stock(other)) == (8, 10)  # the line not approved went back at once
    services.cancel(order, by=patient, reason="Found it cheaper.")
    assert (stock(rx_pack), stock(other)) == (10, 10)
    services.refund(order, by=pharmacist)
    assert (stock(rx_pack), stock(other)) == (10, 10)


def test_rejection_returns_the_stock(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 4)], patient))
    assert stock(rx_pack) == 6
    services.review_order(order, pharmacist, approve_line_ids=[], reason="The prescription is for someone else.")
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED and stock(rx_pack) == 10
    assert order.status_note == "The prescription is for someone else."


def test_allowed_transitions_lists_the_table(otc_pack):
    order = in_status(otc_pack, OrderStatus.IN_REVIEW)
    assert services.allowed_transitions(order) == sorted(TRANSITIONS[OrderStatus.IN_REVIEW])


def test_set_status_cannot_approve_a_prescription_order_nobody_reviewed(rx_pack, patient):
    """A shell call of set_status must not skip the pharmacist: approving needs a verified item on each Rx line."""
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(services.OrderError):
        services.set_status(order, OrderStatus.APPROVED, by=patient)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW


def test_set_status_cannot_dispense_an_uncovered_prescription_line(rx_pack, patient, pharmacist):
    """Dispensed through set_status (not dispense) must still need the covering prescription."""
    order = send_to_review(place([(rx_pack, 1)], patient))
    approve_all(order, pharmacist)
    line = order.lines.get()
    line.prescription_item.prescription.items.update(valid_until="2000-01-01")
    with pytest.raises(services.OrderError):
        services.set_status(order, OrderStatus.DISPENSED, by=pharmacist)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


@pytest.mark.parametrize("status", ALL)
def test_what_the_pages_ask_of_a_status_follows_the_tables(status):
    order = Order(status=status, status_note="Illegible.", tracking_number="TRK-1")
    assert order.awaiting_prescription == (status == OrderStatus.AWAITING_PRESCRIPTION)
    assert order.in_review == (status == OrderStatus.IN_REVIEW)
    assert order.customer_can_cancel == (status in CUSTOMER_CANCELLABLE)
    assert order.is_final == (not TRANSITIONS[status])
    assert order.payment_due == (status not in {OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.REFUNDED})
    assert order.rejection_note == ("Illegible." if status == OrderStatus.REJECTED else "")
    assert order.shown_tracking_number == ("TRK-1" if status in {OrderStatus.SHIPPED, OrderStatus.DELIVERED} else "")
