"""The order screen's actions in the Wagtail admin: dispense (pharmacists), ship, deliver, cancel, refund."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from orders.models import OrderEvent, OrderStatus
from orders.tests.admin.conftest import dispense_data, messages_of, url
from orders.tests.conftest import carrier, stock
from prescriptions.models import PrescriptionItem

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# Dispensing and after


def test_dispensing_an_order_still_in_review_is_refused(pharmacist_client, order_in_review):
    response = pharmacist_client.post(url("dispense", order_in_review), dispense_data(order_in_review))
    assert response.status_code == 400
    assert "cannot go from “In pharmacist review” to “Dispensed”" in messages_of(response)
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.IN_REVIEW


def test_dispensing_a_line_without_a_verified_item_is_refused(pharmacist_client, approved_order):
    approved_order.lines.update(prescription_item=None)
    page = pharmacist_client.get(url("inspect", approved_order)).content.decode()
    assert "Not covered by an approved, unexpired prescription" in page

    response = pharmacist_client.post(url("dispense", approved_order), dispense_data(approved_order))
    assert "Cannot dispense" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED
    assert not ModelLogEntry.objects.filter(action="orders.dispense").exists()


def test_the_dispense_screen_asks_each_lines_batch_expiry_and_directions(pharmacist_client, approved_order):
    line = approved_order.lines.get()
    PrescriptionItem.objects.filter(pk=line.prescription_item_id).update(directions="One tablet at night.")
    page = pharmacist_client.get(url("dispense", approved_order)).content.decode()
    assert f'name="line-{line.pk}-batch_number"' in page and f'name="line-{line.pk}-expiry_date"' in page
    assert "One tablet at night." in page  # the directions, prefilled from the verified prescription item

    yesterday = timezone.localdate() - timedelta(days=1)
    for data, error in (
        (dispense_data(approved_order, batch=""), "Enter the batch number."),
        (dispense_data(approved_order, expiry=yesterday), "This batch has expired"),
        (dispense_data(approved_order, directions=""), "Enter the directions for the label"),
    ):
        response = pharmacist_client.post(url("dispense", approved_order), data)
        assert response.status_code == 400 and error in response.content.decode(), error
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED

    response = pharmacist_client.post(url("dispense", approved_order), dispense_data(approved_order, batch="LOT-7"))
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.batch_number, line.directions) == ("LOT-7", "Take one tablet three times a day.")
    assert line.expiry_date == timezone.localdate() + timedelta(days=365)


def test_dispense_ship_deliver(pharmacist_client, pharmacist, dispatcher_client, dispatcher, approved_order):
    response = pharmacist_client.post(url("dispense", approved_order), dispense_data(approved_order), follow=True)
    assert f"Order {approved_order.number} marked dispensed." in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.DISPENSED

    parcels = carrier("Parcel Example")
    refused = dispatcher_client.post(url("ship", approved_order), {"tracking_number": "1Z9"}, follow=True)
    assert "Choose the carrier." in messages_of(refused)
    refused = dispatcher_client.post(url("ship", approved_order), {"carrier": parcels.pk}, follow=True)
    assert "This field is required." in messages_of(refused)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.DISPENSED

    response = dispatcher_client.post(
        url("ship", approved_order), {"carrier": parcels.pk, "tracking_number": "1Z999AA10123456784"}, follow=True
    )
    assert "marked shipped" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.SHIPPED and approved_order.tracking_number == "1Z999AA10123456784"
    assert approved_order.carrier == parcels

    response = dispatcher_client.post(url("deliver", approved_order), follow=True)
    assert "marked delivered" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.DELIVERED

    moves = list(OrderEvent.objects.filter(order=approved_order).values_list("to_status", "by__email"))[-3:]
    assert moves == [
        (OrderStatus.DISPENSED, pharmacist.email),
        (OrderStatus.SHIPPED, dispatcher.email),
        (OrderStatus.DELIVERED, dispatcher.email),
    ]
    logged = ModelLogEntry.objects.filter(object_id=str(approved_order.pk)).values_list("action", "user__email")
    assert set(logged) >= {
        ("orders.dispense", pharmacist.email),
        ("orders.ship", dispatcher.email),
        ("orders.deliver", dispatcher.email),
    }
    html = pharmacist_client.get(url("inspect", approved_order)).content.decode()
    assert 'href="https://tracking.example/parcel?number=1Z999AA10123456784"' in html and "Mark refunded" in html
    assert pharmacist_client.get(url("history", approved_order)).status_code == 200


def test_dispatch_staff_cannot_dispense(dispatcher_client, approved_order):
    assert "Only a pharmacist can mark this order dispensed." in (
        dispatcher_client.get(url("inspect", approved_order)).content.decode()
    )
    assert dispatcher_client.post(url("dispense", approved_order), dispense_data(approved_order)).status_code == 403
    assert dispatcher_client.get(url("dispense", approved_order)).status_code == 403
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED


def test_superuser_who_is_not_a_pharmacist_gets_the_services_refusal(site_pages, approved_order):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw"))
    response = client.post(url("dispense", approved_order), dispense_data(approved_order), follow=True)
    assert "Only a pharmacist" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED


def test_shipping_before_dispensing_is_refused(dispatcher_client, approved_order):
    data = {"carrier": carrier().pk, "tracking_number": "TRACK1"}
    response = dispatcher_client.post(url("ship", approved_order), data, follow=True)
    assert "cannot go from “Approved” to “Shipped”" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED


def test_cancel_returns_the_stock_then_refund(dispatcher_client, dispatcher, approved_order, rx_pack):
    before = stock(rx_pack)
    missing_reason = dispatcher_client.post(url("cancel", approved_order), {"reason": ""}, follow=True)
    assert "Give a reason for cancelling the order." in messages_of(missing_reason)
    assert stock(rx_pack) == before

    response = dispatcher_client.post(url("cancel", approved_order), {"reason": "Customer asked."}, follow=True)
    assert "cancelled" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.CANCELLED and approved_order.status_note == "Customer asked."
    assert stock(rx_pack) == before + 2
    assert "Mark refunded" in response.content.decode()

    response = dispatcher_client.post(url("refund", approved_order), {"note": "Card refunded."}, follow=True)
    assert "marked refunded" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.REFUNDED
    assert stock(rx_pack) == before + 2  # a refund never returns the stock twice
    assert ModelLogEntry.objects.filter(action__in=["orders.cancel", "orders.refund"], user=dispatcher).count() == 2


def test_actions_are_posts_with_csrf(pharmacist, approved_order):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pharmacist)
    assert client.get(url("cancel", approved_order)).status_code == 405
    assert client.post(url("cancel", approved_order), {"reason": "x"}).status_code == 403
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED
