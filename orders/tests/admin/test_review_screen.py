"""The pharmacist's queue and review screen in the Wagtail admin: what it shows, approving, rejecting, and who may
decide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from orders import services
from orders.models import OrderStatus
from orders.tests.admin.conftest import (
    QUEUE,
    approve_data,
    in_review,
    messages_of,
    place,
    rx_line_ids,
    url,
)
from orders.tests.conftest import stock
from prescriptions import services as prescription_services
from prescriptions.models import PrescriptionDecision, PrescriptionStatus
from tests.factories import (
    make_medicine,
    make_prescription_upload,
    make_product,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# The pharmacist's queue and review screen


def test_queue_lists_orders_in_review_oldest_first(pharmacist_client, rx_pack, otc_pack, patient):
    first = in_review([(rx_pack, 1)], patient)
    second = in_review([(rx_pack, 1)], patient)
    not_waiting = place([(otc_pack, 1)], patient)

    response = pharmacist_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert first.number in html and second.number in html and not_waiting.number not in html
    assert html.index(first.number) < html.index(second.number)
    assert url("review", first) in html

    menu = pharmacist_client.get("/admin/").content.decode()
    assert "Prescriptions to review (2)" in menu


def test_review_screen_shows_prescription_lines_patient_and_safety_checks(
    pharmacist_client, rx_pack, second_rx_pack, allergic_patient
):
    order = in_review([(rx_pack, 1), (second_rx_pack, 1)], allergic_patient)
    response = pharmacist_client.get(url("review", order))
    assert response.status_code == 200
    html = response.content.decode()
    file_url = response.context["file_url"]
    # The test PDF is not one PDFium can draw: the screen says so and offers the file (a real one shows its pages).
    assert file_url and f'href="{file_url}"' in html and "Download the PDF" in html
    assert "This PDF cannot be shown here" in html
    for text in (
        "Baclofen",
        "Tizanidine",
        "Robin Patel",
        "29 Feb 1980",
        "penicillin, latex",
        "robin@example.com",
        "Severe interaction warning",
        "Tizanidine and Baclofen (both in this order)",
        "Major: avoid or monitor closely",
        "Prescriber",
        "Strength and form",
        "Quantity",
        "Approve the ticked lines",
        "Reject the prescription",
    ):
        assert text in html, text

    pdf = pharmacist_client.get(file_url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_review_screen_shows_the_prescriber_when_there_is_no_file(pharmacist_client, rx_pack, patient):
    order = place([(rx_pack, 1)], patient)
    prescription = prescription_services.submit_prescription(
        patient, prescriber_name="Dr Ada Lovelace", prescriber_contact="Analytical Practice, 555-0100"
    )
    services.attach_prescription(order, prescription)
    html = pharmacist_client.get(url("review", order)).content.decode()
    assert "Dr Ada Lovelace" in html and "Analytical Practice, 555-0100" in html
    assert 'class="rx-file"' not in html and 'class="rx-file-image"' not in html
    assert "No file was uploaded: contact the prescriber" in html


def test_review_shows_an_allergy_warning(pharmacist_client, order_in_review, patient):
    patient.allergy_answer, patient.allergies = "listed", "baclofen"
    patient.save()
    html = pharmacist_client.get(url("review", order_in_review)).content.decode()
    assert "Severe allergy warning" in html and "allergy to “baclofen”" in html


def test_approving_every_line(pharmacist_client, pharmacist, order_in_review, rx_pack):
    before = stock(rx_pack)
    response = pharmacist_client.post(
        url("review", order_in_review), approve_data(rx_line_ids(order_in_review), note="Checked with the GP.")
    )
    assert response.status_code == 302 and response["Location"] == QUEUE

    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.APPROVED
    assert services.uncovered_lines(order_in_review) == []
    line = order_in_review.lines.get()
    assert line.prescription_item.units == 60 and line.prescription_item.approved_by == pharmacist
    decision = PrescriptionDecision.objects.get()
    assert decision.pharmacist == pharmacist and decision.decision == "approved"
    assert decision.reason == "Checked with the GP." and decision.details["order"] == order_in_review.number
    assert order_in_review.prescription.issued_on == timezone.localdate() - timedelta(days=3)
    assert ModelLogEntry.objects.filter(action="orders.approve", user=pharmacist).count() == 1
    assert stock(rx_pack) == before

    followed = pharmacist_client.get(response["Location"])
    assert "prescription approved" in messages_of(followed)
    assert order_in_review.number not in followed.content.decode().split("listing")[-1]


@pytest.fixture
def cyclobenzaprine_pack(site_pages, drug_class):
    """Another prescription-only medicine, with no interaction listed with baclofen."""
    cyclobenzaprine = make_medicine(site_pages["medicines"], drug_class, "Cyclobenzaprine")
    return make_product(cyclobenzaprine, strength="5 mg", packs=((30, "7.00", 10),)).packs.get()


def test_approving_one_of_two_lines_removes_the_other_and_returns_its_stock(
    pharmacist_client, rx_pack, cyclobenzaprine_pack, patient
):
    order = in_review([(rx_pack, 1), (cyclobenzaprine_pack, 2)], patient)
    baclofen, other = order.lines.order_by("pk")
    other_stock = stock(cyclobenzaprine_pack)

    response = pharmacist_client.post(url("review", order), approve_data([baclofen.pk]))
    assert response.status_code == 302

    order.refresh_from_db()
    baclofen.refresh_from_db()
    other.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert baclofen.prescription_item is not None and not baclofen.removed
    assert other.removed and other.prescription_item is None
    assert stock(cyclobenzaprine_pack) == other_stock + 2
    assert order.total == baclofen.line_total
    assert PrescriptionDecision.objects.get().decision == "partly_approved"

    html = pharmacist_client.get(url("inspect", order)).content.decode()
    assert "Removed lines" in html and "Cyclobenzaprine" in html


def test_rejecting_with_a_reason(pharmacist_client, pharmacist, order_in_review, rx_pack):
    before = stock(rx_pack)
    response = pharmacist_client.post(
        url("review", order_in_review), {"action": "reject", "reject-reason": "The scan is unreadable."}
    )
    assert response.status_code == 302

    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.REJECTED
    assert order_in_review.status_note == "The scan is unreadable."
    assert order_in_review.prescription.status == PrescriptionStatus.REJECTED
    assert order_in_review.prescription.rejection_reason == "The scan is unreadable."
    assert stock(rx_pack) == before + 2
    decision = PrescriptionDecision.objects.get()
    assert decision.decision == "rejected" and decision.reason == "The scan is unreadable."
    assert ModelLogEntry.objects.filter(action="orders.reject", user=pharmacist).count() == 1


def test_rejecting_needs_a_reason(pharmacist_client, order_in_review):
    response = pharmacist_client.post(url("review", order_in_review), {"action": "reject", "reject-reason": " "})
    assert response.status_code == 200
    assert "Give the patient a reason for the rejection." in response.content.decode()
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()


def test_severe_warning_needs_an_override_reason(pharmacist_client, rx_pack, second_rx_pack, patient):
    order = in_review([(rx_pack, 1), (second_rx_pack, 1)], patient)
    stocks = (stock(rx_pack), stock(second_rx_pack))

    response = pharmacist_client.post(url("review", order), approve_data(rx_line_ids(order)))
    assert response.status_code == 200
    assert "needs a written override reason" in messages_of(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    assert not PrescriptionDecision.objects.exists()
    assert not order.lines.filter(prescription_item__isnull=False).exists()
    assert (stock(rx_pack), stock(second_rx_pack)) == stocks

    response = pharmacist_client.post(
        url("review", order),
        approve_data(rx_line_ids(order), override_reason="Prescriber confirmed; patient warned about drowsiness."),
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert PrescriptionDecision.objects.get().override_reason.startswith("Prescriber confirmed")


def test_approval_needs_the_checklist_and_a_date(pharmacist_client, order_in_review):
    data = approve_data(rx_line_ids(order_in_review))
    del data["approve-checked_quantity"]
    data["approve-issued_on"] = ""
    response = pharmacist_client.post(url("review", order_in_review), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm you have checked: quantity." in html and "This field is required." in html
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.IN_REVIEW


def test_staff_who_are_not_pharmacists_cannot_review(dispatcher_client, order_in_review, rx_pack):
    before = stock(rx_pack)
    assert dispatcher_client.get(QUEUE).status_code == 403
    assert dispatcher_client.get(url("review", order_in_review)).status_code == 403
    response = dispatcher_client.post(url("review", order_in_review), approve_data(rx_line_ids(order_in_review)))
    assert response.status_code == 403
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.IN_REVIEW
    assert not PrescriptionDecision.objects.exists() and stock(rx_pack) == before
    assert "Prescriptions to review" not in dispatcher_client.get("/admin/").content.decode()
    # The dispatcher may see the order, but not the prescription's file.
    assert dispatcher_client.get(url("inspect", order_in_review)).status_code == 200
    file_url = reverse("prescriptions:file", args=[order_in_review.prescription_id])
    assert dispatcher_client.get(file_url).status_code == 404


def test_deciding_on_an_order_no_longer_in_review_is_refused(pharmacist_client, approved_order):
    page = pharmacist_client.get(url("review", approved_order))
    assert page.status_code == 200 and "not waiting for a pharmacist" in page.content.decode()
    response = pharmacist_client.post(url("review", approved_order), {"action": "reject", "reject-reason": "Late"})
    assert response.status_code == 200
    assert f"Order {approved_order.number} is not waiting for a pharmacist" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED and PrescriptionDecision.objects.count() == 1


def test_the_review_screen_shows_a_pdfs_pages_as_pictures(pharmacist_client, rx_pack, patient):
    from home.demo.orders import demo_prescription_pdf

    order = place([(rx_pack, 1)], patient)
    scan = prescription_services.submit_prescription(
        patient, upload=make_prescription_upload("scan.pdf", demo_prescription_pdf())
    )
    services.attach_prescription(order, scan)
    html = pharmacist_client.get(url("review", order)).content.decode()
    page_url = reverse("prescriptions:page", args=[scan.pk, 1])
    assert f'src="{page_url}"' in html and "page 1 of the PDF" in html
    assert pharmacist_client.get(page_url)["Content-Type"] == "image/png"


def test_valid_until_defaults_to_the_prescriptions_own_date_plus_its_validity(
    pharmacist_client, order_in_review, settings
):
    settings.PRESCRIPTION_VALID_DAYS = 180
    html = pharmacist_client.get(url("review", order_in_review)).content.decode()
    assert 'name="approve-valid_until"' in html and 'name="approve-valid_until" value=' not in html  # no date yet
    written = timezone.localdate() - timedelta(days=40)
    order_in_review.prescription.issued_on = written
    order_in_review.prescription.save()
    html = pharmacist_client.get(url("review", order_in_review)).content.decode()
    assert f'value="{written + timedelta(days=180):%Y-%m-%d}"' in html  # not today + 180 days

    data = approve_data(rx_line_ids(order_in_review), issued_on=written.isoformat(), valid_until="")
    assert pharmacist_client.post(url("review", order_in_review), data).status_code == 302
    line = order_in_review.lines.get()
    assert line.prescription_item.valid_until == written + timedelta(days=180)
