"""The status e-mails: each step that concerns the patient, sent once the transaction commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from orders import services
from orders.models import OrderEvent, OrderStatus
from orders.services import InvalidTransition
from orders.tests.conftest import approve_all, carrier, dispensing, force_status, place, send_to_review

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


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
        services.dispense(order, pharmacist, dispensing(order))
    with django_capture_on_commit_callbacks(execute=True):
        services.ship(order, carrier=carrier(), by=pharmacist, tracking_number="1Z999")
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


def test_every_order_e_mail_ends_with_the_pharmacys_legal_identity(
    otc_pack, pharmacist, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from home.models import PharmacySettings

    settings = PharmacySettings.for_site(Site.objects.get(is_default_site=True))
    settings.legal_name = "Corner Chemist Trading Ltd"
    settings.registered_address = "12 Sample Road\nTesttown TT1 1TT"
    settings.registration_number = "TEST-1234567"
    settings.jurisdiction = "uk"
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(otc_pack, 1)], email="guest@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(order, by=pharmacist, reason="Out of our delivery area.")
    assert subjects() == ["Approved", "Cancelled"]
    for message in mail.outbox:
        signature = message.body.split("\n-- \n", 1)[1]
        assert signature.splitlines()[:2] == [
            "Corner Chemist Trading Ltd, trading as Apothecary",
            "12 Sample Road, Testtown TT1 1TT",
        ]
        assert "GPhC registration number: TEST-1234567 (General Pharmaceutical Council (GPhC))" in signature
