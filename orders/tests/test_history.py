"""Every status change is recorded by the service that makes it, whoever calls it: the order's history
(``OrderEvent``) and the admin's log (``ModelLogEntry``), with the person who acted, or None for the system."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from orders import services
from orders.models import OrderEvent, OrderStatus
from orders.tests.conftest import approve_all, carrier, dispensing, place, send_to_review

pytestmark = pytest.mark.django_db


def entries(order, **filters):
    """The admin's log entries of ``order``."""
    return ModelLogEntry.objects.for_instance(order).filter(**filters).order_by("timestamp", "pk")


def logged(order) -> list[tuple[str, str | None]]:
    return [(entry.action, entry.user.email if entry.user else None) for entry in entries(order)]


def test_the_customers_cancellation_leaves_a_history_entry(rx_pack, patient):
    order = place([(rx_pack, 1)], patient)
    services.cancel_by_customer(order, by=patient)
    assert logged(order)[-1] == ("orders.cancel", patient.email)
    entry = entries(order, action="orders.cancel").get()
    assert entry.data["reason"] == "Cancelled by the customer"
    assert (entry.data["from_status"], entry.data["to_status"]) == (OrderStatus.AWAITING_PRESCRIPTION, "cancelled")


def test_the_customers_cancellation_on_the_order_page_is_logged_as_theirs(client, rx_pack, patient):
    order = place([(rx_pack, 1)], patient)
    client.force_login(patient)
    client.post(f"/orders/{order.number}/cancel/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert logged(order)[-1] == ("orders.cancel", patient.email)


def test_a_move_made_by_the_system_is_logged_with_no_one(otc_pack):
    order = place([(otc_pack, 1)])  # a guest's order
    services.cancel(order, by=None, reason="The payment never arrived.")
    assert logged(order) == [("orders.place", None), ("orders.status", None), ("orders.cancel", None)]


def test_every_step_of_an_order_is_in_its_history_and_the_log(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    approve_all(order, pharmacist, reason="Matches the prescription.")
    services.dispense(order, pharmacist, dispensing(order))
    services.ship(order, carrier=carrier(), by=pharmacist, tracking_number="TRK-1")
    services.deliver(order, by=pharmacist)
    services.refund(order, by=pharmacist, note="Returned unopened.")
    assert logged(order) == [
        ("orders.place", patient.email),
        ("orders.status", patient.email),  # awaiting the prescription
        ("orders.attach_prescription", patient.email),
        ("orders.approve", pharmacist.email),
        ("orders.dispense", pharmacist.email),
        ("orders.ship", pharmacist.email),
        ("orders.deliver", pharmacist.email),
        ("orders.refund", pharmacist.email),
    ]
    assert OrderEvent.objects.filter(order=order).count() == len(logged(order))
    approval = entries(order, action="orders.approve").get()
    assert approval.data["kind"] == "approved" and approval.data["checks"][0] == "Patient"
    shipped = entries(order, action="orders.ship").get()
    assert shipped.data["tracking_number"] == "TRK-1"


def test_a_refused_move_is_not_logged(otc_pack, patient):
    order = place([(otc_pack, 1)], patient)
    before = logged(order)
    with pytest.raises(services.InvalidTransition):
        services.deliver(order, by=patient)
    assert logged(order) == before


def test_a_rejection_is_logged_with_the_decision(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    decision = services.review_order(order, pharmacist, approve_line_ids=[], reason="Illegible.")
    entry = entries(order, action="orders.reject").get()
    assert entry.user == pharmacist and entry.data["decision"] == decision.pk and entry.data["kind"] == "rejected"


def test_a_deleted_account_leaves_its_steps_in_the_log_without_its_name(rx_pack, patient):
    from datetime import date

    from orders.personal_data import erase

    order = place([(rx_pack, 1)], patient)
    services.cancel_by_customer(order, by=patient)
    erase(patient, date(2036, 1, 1))
    assert [user for _action, user in logged(order)] == [None, None, None]
