"""The pharmacist's bench after approval: dispensing with batch, expiry and directions; payment state (a bank
transfer is recorded before dispensing; refunds keep the provider's reference); shipping with a carrier and its
tracking link; the label and the packing slip as PDF. Through the real services and views."""

from __future__ import annotations

from datetime import timedelta

import pypdfium2
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from orders import services
from orders.documents import dispensing_labels, document_fonts, printable
from orders.models import OrderStatus, PaymentStatus
from orders.services import Dispensed, OrderError
from orders.tests.admin.conftest import messages_of
from orders.tests.conftest import approve_all, carrier, dispensing, force_status, place, send_to_review
from prescriptions.models import PrescriptionItem
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def approved(pack, patient, pharmacist, quantity=1, **kwargs):
    order = send_to_review(place([(pack, quantity)], patient, **kwargs))
    approve_all(order, pharmacist)
    return order


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def refused(error, call):
    with pytest.raises(error) as caught:
        call()
    return " ".join(caught.value.messages) if isinstance(caught.value, ValidationError) else str(caught.value)


# ---------------------------------------------------------------------------
# Dispensing: batch, expiry, directions; a pharmacy medicine needs a pharmacist's approval


def next_year():
    """A year from the (possibly moved) clock of the test: an expiry date still ahead."""
    return timezone.localdate() + timedelta(days=365)


def test_dispensing_needs_each_lines_batch_and_expiry_and_a_prescription_lines_directions(
    rx_pack, otc_pack, patient, pharmacist
):
    order = approved(rx_pack, patient, pharmacist)
    line = order.lines.get()
    cases = [
        ({}, "enter the batch number"),
        ({line.pk: Dispensed("B1", None, "One at night.")}, "enter the batch's expiry date"),
        ({line.pk: Dispensed("B1", timezone.localdate() - timedelta(days=1), "x")}, "the batch expired on"),
        ({line.pk: Dispensed("B1", next_year(), "  ")}, "enter the directions for the label"),
    ]
    for details, message in cases:
        assert message in refused(ValidationError, lambda d=details: services.dispense(order, pharmacist, d))
        order.refresh_from_db()
        assert order.status == OrderStatus.APPROVED
    services.dispense(order, pharmacist, {line.pk: Dispensed(" B1 ", next_year(), " One at night. ")})
    line.refresh_from_db()
    assert (line.batch_number, line.expiry_date, line.directions) == ("B1", next_year(), "One at night.")

    shelf = place([(otc_pack, 1)])  # a general-sale line needs no directions
    services.dispense(shelf, pharmacist, {shelf.lines.get().pk: Dispensed("P-9", next_year())})
    shelf.refresh_from_db()
    assert shelf.status == OrderStatus.DISPENSED


def test_a_pharmacy_medicine_line_is_dispensed_only_after_a_pharmacists_approval(otc_pack, pharmacist):
    order = place([(otc_pack, 1)])
    order.lines.update(pharmacy_medicine=True)
    message = refused(OrderError, lambda: services.dispense(order, pharmacist, dispensing(order)))
    assert "a pharmacist has not yet approved the sale of Paracetamol" in message
    order.lines.update(pharmacist_approved_by=pharmacist, pharmacist_approved_at=timezone.now())
    services.dispense(order, pharmacist, dispensing(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPENSED


# ---------------------------------------------------------------------------
# Payment state


def test_a_bank_transfer_order_is_not_dispensed_before_its_payment_is_recorded(rx_pack, patient, pharmacist):
    order = approved(rx_pack, patient, pharmacist, payment_method="bank_transfer")
    assert "Record the bank transfer first" in refused(
        OrderError, lambda: services.dispense(order, pharmacist, dispensing(order))
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED and order.payment_status == PaymentStatus.UNPAID

    assert refused(PermissionDenied, lambda: services.record_payment(order, by=patient))
    services.record_payment(order, by=pharmacist, reference="STATEMENT-881")
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID and order.payment_recorded_by == pharmacist
    assert order.paid_at is not None
    assert "STATEMENT-881" in order.events.last().note and order.events.last().to_status == OrderStatus.APPROVED
    assert ModelLogEntry.objects.filter(action="orders.record_payment", user=pharmacist).exists()
    assert "already paid" in refused(OrderError, lambda: services.record_payment(order, by=pharmacist))

    services.dispense(order, pharmacist, dispensing(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPENSED


def test_pay_on_delivery_is_dispensed_unpaid_and_a_cancelled_order_takes_no_payment(otc_pack, pharmacist):
    order = place([(otc_pack, 1)])
    services.dispense(order, pharmacist, dispensing(order))
    cancelled = place([(otc_pack, 1)], payment_method="bank_transfer")
    services.cancel(cancelled, by=pharmacist, reason="Asked by the customer.")
    assert "no payment is recorded" in refused(OrderError, lambda: services.record_payment(cancelled, by=pharmacist))


def test_refunding_a_paid_order_needs_the_providers_reference(otc_pack, pharmacist):
    order = place([(otc_pack, 1)], payment_method="bank_transfer")
    services.record_payment(order, by=pharmacist)
    services.cancel(order, by=pharmacist, reason="Out of stock at the wholesaler.")
    assert "reference of the refund" in refused(ValidationError, lambda: services.refund(order, by=pharmacist))
    services.refund(order, by=pharmacist, reference=" RF-2291 ", note="Returned by bank transfer.")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert (order.payment_status, order.refund_reference) == (PaymentStatus.REFUNDED, "RF-2291")


def test_the_order_screen_records_the_payment_and_the_listing_filters_by_it(
    dispatcher_client, rx_pack, patient, pharmacist
):
    order = approved(rx_pack, patient, pharmacist, payment_method="bank_transfer")
    admin = reverse("orders_admin:index")
    assert order.number in dispatcher_client.get(admin, {"payment_status": "unpaid"}).content.decode()
    html = dispatcher_client.get(reverse("orders_admin:inspect", args=[order.pk])).content.decode()
    assert "Record payment" in html and "To be paid before it is dispensed." in html
    response = dispatcher_client.post(
        reverse("orders_admin:record_payment", args=[order.pk]), {"reference": "TX-1"}, follow=True
    )
    assert f"Order {order.number} marked paid." in messages_of(response)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert order.number not in dispatcher_client.get(admin, {"payment_status": "unpaid"}).content.decode()
    assert order.number in dispatcher_client.get(admin, {"payment_status": "paid"}).content.decode()


def test_the_patient_sees_whether_their_order_is_paid(client, otc_pack, patient, pharmacist):
    order = place([(otc_pack, 1)], patient, payment_method="bank_transfer")
    client.force_login(patient)
    assert "Awaiting payment" in client.get(order.get_absolute_url()).content.decode()
    services.record_payment(order, by=pharmacist)
    html = client.get(order.get_absolute_url()).content.decode()
    assert '<strong class="payment-state">Paid</strong>' in html and "Approved → Approved" not in html


# ---------------------------------------------------------------------------
# Shipping with a carrier


def test_shipping_with_a_carrier_gives_the_patient_a_tracking_link_once(
    client, rx_pack, patient, pharmacist, django_capture_on_commit_callbacks
):
    order = approved(rx_pack, patient, pharmacist)
    services.dispense(order, pharmacist, dispensing(order))
    retired = carrier("Retired Parcels")
    retired.active = False
    retired.save()
    assert "Choose the carrier" in refused(
        ValidationError, lambda: services.ship(order, by=pharmacist, carrier=retired, tracking_number="X1")
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ship(order, by=pharmacist, carrier=carrier(), tracking_number="1Z 99/9")
    link = "https://tracking.example/parcel?number=1Z%2099%2F9"
    client.force_login(patient)
    html = client.get(order.get_absolute_url()).content.decode()
    assert f'href="{link}"' in html and "Parcel Example" in html
    body = mail.outbox[-1].body
    assert link in body and body.count("Tracking number") == 1 and body.count("1Z 99/9") == 1


# ---------------------------------------------------------------------------
# Documents: the dispensing labels and the packing slip


@pytest.fixture
def dispensed_order(rx_pack, otc_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 2), (otc_pack, 1)], patient))
    approve_all(order, pharmacist)
    order.full_name = "Zoë Łukasiewicz 李"  # characters Helvetica cannot all print
    order.save(update_fields=["full_name"])
    details = dispensing(order, batch="LOT-4471", directions="Take one tablet three times a day.")
    services.dispense(order, pharmacist, details)
    return order


def test_the_label_pdf_has_a_page_per_line_with_patient_medicine_directions_and_batch(
    dispensed_order, pharmacist_client, pharmacist
):
    response = pharmacist_client.get(reverse("orders_admin:label", args=[dispensed_order.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="label-{dispensed_order.number}.pdf"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    document = pypdfium2.PdfDocument(response.content)
    assert len(document) == 2
    first = document[0].get_textpage().get_text_range()
    for text in (
        # DejaVu Sans (settings.DOCUMENT_FONT, on Debian) prints the Polish letter but has no Chinese; the built-in
        # Helvetica (without it) neither.
        "Zoë Łukasiewicz ?" if document_fonts() else "Zoë ?ukasiewicz ?",
        "Baclofen 10 mg tablet",
        "2 packs × 30 tablets (60 tablets)",
        "Take one tablet three times a day.",
        "LOT-4471",
        dispensed_order.number,
        "Keep out of the reach and sight of children.",
        f"{next_year().day} {next_year():%b %Y}",
    ):
        assert text in first.replace("\r\n", " ").replace("\n", " "), text
    assert "Paracetamol" in document[1].get_textpage().get_text_range()
    assert ModelLogEntry.objects.filter(action="orders.label", user=pharmacist).count() == 1


def test_only_a_pharmacist_prints_labels_and_only_once_dispensed(
    dispensed_order, dispatcher_client, pharmacist_client, rx_pack, patient, pharmacist
):
    assert dispatcher_client.get(reverse("orders_admin:label", args=[dispensed_order.pk])).status_code == 403
    not_yet = approved(rx_pack, patient, pharmacist)
    response = pharmacist_client.get(reverse("orders_admin:label", args=[not_yet.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "labels are printed once the order is dispensed" in response.content.decode()


def test_the_packing_slip_lists_the_address_and_the_lines(dispensed_order, dispatcher_client, dispatcher):
    html = dispatcher_client.get(reverse("orders_admin:inspect", args=[dispensed_order.pk])).content.decode()
    assert reverse("orders_admin:packing_slip", args=[dispensed_order.pk]) in html
    assert reverse("orders_admin:label", args=[dispensed_order.pk]) not in html  # not a pharmacist
    response = dispatcher_client.get(reverse("orders_admin:packing_slip", args=[dispensed_order.pk]))
    assert response.status_code == 200 and "private, no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for part in (dispensed_order.number, "1 High Street", "Springfield 12345", "Baclofen", "Paracetamol", "60"):
        assert part in text, part
    assert ModelLogEntry.objects.filter(action="orders.packing_slip", user=dispatcher).exists()


def test_printable_replaces_what_the_built_in_font_cannot_print():
    assert printable("Zoë — Łódź 李") == "Zoë — ?ódz ?"


def test_without_the_documents_font_the_label_prints_in_helvetica(dispensed_order, settings):
    settings.DOCUMENT_FONT = "/no/such/font.ttf"
    assert document_fonts() is None
    document = pypdfium2.PdfDocument(dispensing_labels(dispensed_order))
    assert "Zoë ?ukasiewicz ?" in document[0].get_textpage().get_text_range()


# ---------------------------------------------------------------------------
# Repeat prescriptions and reorders


def backdate_dispensing(order, days):
    order.events.filter(to_status=OrderStatus.DISPENSED).update(created_at=timezone.now() - timedelta(days=days))


def repeat_order(rx_pack, patient, pharmacist, *, issues=3, interval=28):
    order = approved(rx_pack, patient, pharmacist)
    PrescriptionItem.objects.filter(pk=order.lines.get().prescription_item_id).update(
        issues_allowed=issues, interval_days=interval, valid_until=timezone.localdate() + timedelta(days=365)
    )
    services.dispense(order, pharmacist, dispensing(order))
    order.refresh_from_db()
    return order


def test_a_repeat_allows_its_issues_at_its_interval(rx_pack, patient, pharmacist):
    first = repeat_order(rx_pack, patient, pharmacist)
    item = first.lines.get().prescription_item
    status = services.repeat_status(item)
    assert (status.issues_used, status.issues_left) == (1, 2)
    assert status.next_date == timezone.localdate() + timedelta(days=28)
    assert "2 of 3 issues left; next from" in status.summary

    message = refused(OrderError, lambda: services.reorder(first, patient, token="t1"))
    assert "cannot be reordered now" in message and "next from" in message

    backdate_dispensing(first, 28)
    assert services.repeat_status(item).available
    second = services.reorder(first, patient, token="t2")
    assert services.reorder(first, patient, token="t2") == second  # the same form submitted twice
    assert second.status == OrderStatus.APPROVED and second.reorder_of == first
    assert second.prescription == first.prescription and second.lines.get().prescription_item == item
    assert second.lines.get().unit_price == rx_pack.price and second.address_lines == first.address_lines
    assert "the next once the latest issue is dispensed" in services.repeat_status(item).summary

    services.dispense(second, pharmacist, dispensing(second))
    backdate_dispensing(second, 27)  # one day short of the interval
    third = send_to_review(place([(rx_pack, 1)], patient))
    force_status(third, OrderStatus.APPROVED)
    third.lines.update(prescription_item=item)
    assert services.uncovered_lines(third) == list(third.lines.all())
    backdate_dispensing(second, 28)
    assert services.uncovered_lines(third) == []
    services.dispense(third, pharmacist, dispensing(third))

    assert services.repeat_status(item).issues_left == 0
    message = refused(OrderError, lambda: services.reorder(third, patient, token="t3"))
    assert "0 of 3 issues left: all issues used" in message


def test_a_cancelled_reorder_gives_its_issue_back_and_others_cannot_reorder(rx_pack, patient, pharmacist):
    first = repeat_order(rx_pack, patient, pharmacist, issues=2, interval=None)
    second = services.reorder(first, patient, token="a")
    services.cancel(second, by=pharmacist, reason="Asked by the patient.")
    assert services.repeat_status(first.lines.get().prescription_item).issues_left == 1
    assert refused(PermissionDenied, lambda: services.reorder(first, make_user("x@example.com"), token="b"))
    one_off = approved(rx_pack, patient, pharmacist)
    services.dispense(one_off, pharmacist, dispensing(one_off))
    assert "no repeat prescription" in refused(OrderError, lambda: services.reorder(one_off, patient, token="c"))


def test_the_patient_reorders_from_their_order_page(client, rx_pack, patient, pharmacist, pharmacist_client):
    first = repeat_order(rx_pack, patient, pharmacist)
    client.force_login(patient)
    html = client.get(first.get_absolute_url()).content.decode()
    assert "2 of 3 issues left; next from" in html and ">Reorder</button>" not in html
    assert (
        "2 of 3 issues left" in pharmacist_client.get(reverse("orders_admin:inspect", args=[first.pk])).content.decode()
    )

    backdate_dispensing(first, 30)
    html = client.get(first.get_absolute_url()).content.decode()
    assert ">Reorder</button>" in html and 'name="csrfmiddlewaretoken"' in html
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(patient)
    assert csrf_client.post(reverse("orders:reorder", args=[first.number]), {"token": "x"}).status_code == 403

    response = client.post(reverse("orders:reorder", args=[first.number]), {"token": "page-1"})
    new = first.reorders.get()
    assert response.status_code == 303 and response["Location"] == new.get_absolute_url()
    assert new.status == OrderStatus.APPROVED
    response = client.post(reverse("orders:reorder", args=[new.number]), {"token": "page-2"}, follow=True)
    assert "has no repeat prescription to reorder" in response.content.decode()  # not dispensed yet
