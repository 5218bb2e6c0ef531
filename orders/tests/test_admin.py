"""The staff side of ordering in the Wagtail admin: the order listing and screen, the dispatch actions, the
pharmacist's queue and review screen. Every action goes through the real services; nothing is mocked."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from medicines.models import Interaction, InteractionSeverity
from orders import services
from orders.models import Order, OrderEvent, OrderStatus
from prescriptions import services as prescription_services
from prescriptions.models import PrescriptionDecision, PrescriptionStatus
from tests.factories import (
    ADDRESS,
    make_medicine,
    make_pharmacist,
    make_prescription_upload,
    make_product,
    make_reference,
    make_user,
)

pytestmark = pytest.mark.django_db

ORDERS = reverse("orders_admin:index")
QUEUE = reverse("orders_admin:review_queue")
CHECKLIST = ["checked_patient", "checked_prescriber", "checked_medicine", "checked_strength", "checked_quantity"]
CHECKLIST += ["checked_date"]


def url(name, order):
    return reverse(f"orders_admin:{name}", args=[order.pk])


# ---------------------------------------------------------------------------
# People, medicines and orders


@pytest.fixture
def pharmacist(site_pages):
    """In the Pharmacists group, whose admin and order permissions ``build_site`` installed."""
    return make_pharmacist()


@pytest.fixture
def pharmacist_client(pharmacist):
    client = Client()
    client.force_login(pharmacist)
    return client


@pytest.fixture
def dispatcher(site_pages):
    """Staff with admin access and ``change_order`` (the Dispatch group), but not a pharmacist."""
    return make_user("dispatch@example.com", groups=["Dispatch"], is_staff=True, first_name="Dee", last_name="Spatch")


@pytest.fixture
def dispatcher_client(dispatcher):
    client = Client()
    client.force_login(dispatcher)
    return client


@pytest.fixture
def patient(db):
    from datetime import date

    return make_user(
        "robin@example.com",
        first_name="Robin",
        last_name="Patel",
        date_of_birth=date(1980, 2, 29),
        allergies="penicillin, latex",
    )


@pytest.fixture
def rx_pack(medicine):
    """Baclofen 10 mg, 30 tablets, $15.30, 10 on the shelf (prescription only)."""
    return make_product(medicine, packs=((30, "15.30", 10),)).packs.get()


@pytest.fixture
def second_rx_pack(site_pages, drug_class):
    """Tizanidine 4 mg (prescription only), whose guide lists a major interaction with baclofen."""
    tizanidine = make_medicine(site_pages["medicines"], drug_class, "Tizanidine")
    Interaction.objects.create(
        page=tizanidine,
        substance="Baclofen",
        severity=InteractionSeverity.MAJOR,
        effect="Both cause drowsiness and low blood pressure; avoid or monitor closely.",
        reference=make_reference(),
        sort_order=0,
    )
    return make_product(tizanidine, strength="4 mg", packs=((30, "9.00", 10),)).packs.get()


@pytest.fixture
def otc_pack(site_pages, drug_class):
    from medicines.models import LegalStatus

    paracetamol = make_medicine(
        site_pages["medicines"], drug_class, "Paracetamol", legal_status=LegalStatus.GENERAL_SALE
    )
    return make_product(paracetamol, strength="500 mg", packs=((16, "2.50", 50),)).packs.get()


def place(packs_and_quantities, customer):
    return services.place_order(
        quantities={pack.pk: quantity for pack, quantity in packs_and_quantities},
        customer=customer,
        email=customer.email if customer else "guest@example.com",
        address=dict(ADDRESS),
        payment_method="pay_on_delivery",
        checkout_token=uuid.uuid4().hex,
    )


def in_review(packs_and_quantities, patient):
    """An order placed, its prescription uploaded and attached: waiting in the pharmacist's queue."""
    order = place(packs_and_quantities, patient)
    prescription = prescription_services.submit_prescription(patient, upload=make_prescription_upload())
    services.attach_prescription(order, prescription)
    order.refresh_from_db()
    return order


def rx_line_ids(order):
    return list(order.lines.filter(requires_prescription=True, removed=False).values_list("pk", flat=True))


def approve_data(line_ids, **fields):
    today = timezone.localdate()
    data = {
        "action": "approve",
        "approve-lines": [str(pk) for pk in line_ids],
        "approve-issued_on": (today - timedelta(days=3)).isoformat(),
        "approve-valid_until": (today + timedelta(days=90)).isoformat(),
        "approve-note": "",
        "approve-override_reason": "",
        **{f"approve-{name}": "on" for name in CHECKLIST},
    }
    data.update({f"approve-{key}": value for key, value in fields.items()})
    return data


def stock(pack) -> int:
    pack.refresh_from_db()
    return pack.stock


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


@pytest.fixture
def order_in_review(rx_pack, patient):
    return in_review([(rx_pack, 2)], patient)


@pytest.fixture
def approved_order(order_in_review, pharmacist):
    services.review_order(
        order_in_review,
        pharmacist,
        approve_line_ids=rx_line_ids(order_in_review),
        issued_on=timezone.localdate(),
    )
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.APPROVED
    return order_in_review


# ---------------------------------------------------------------------------
# The order listing and screen


def test_orders_listing_filters_by_status_with_counts_and_searches(pharmacist_client, rx_pack, otc_pack, patient):
    review = in_review([(rx_pack, 1)], patient)
    shop = place([(otc_pack, 1)], None)  # a guest's over-the-counter order: approved at once
    other = make_user("quinn@example.com", first_name="Quinn", last_name="Other")
    quinn = place([(otc_pack, 2)], other)

    response = pharmacist_client.get(ORDERS)
    assert response.status_code == 200
    html = response.content.decode()
    for order in (review, shop, quinn):
        assert order.number in html
    assert html.index(quinn.number) < html.index(shop.number) < html.index(review.number)  # newest first
    assert "In pharmacist review (1)" in html and "Approved (2)" in html

    filtered = pharmacist_client.get(ORDERS, {"status": OrderStatus.IN_REVIEW}).content.decode()
    assert review.number in filtered and shop.number not in filtered

    for query, expected in ((review.number, review), ("quinn@example", quinn), ("robin", shop)):
        found = pharmacist_client.get(ORDERS, {"q": query}).content.decode()
        assert expected.number in found
    by_email = pharmacist_client.get(ORDERS, {"q": "quinn@example"}).content.decode()
    assert review.number not in by_email


def test_orders_listing_has_no_n_plus_one(pharmacist_client, otc_pack, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer = make_user("many@example.com")
    place([(otc_pack, 1)], customer)
    with CaptureQueriesContext(connection) as one:
        assert pharmacist_client.get(ORDERS).status_code == 200
    for _ in range(6):
        place([(otc_pack, 1)], make_user(f"{uuid.uuid4().hex[:8]}@example.com"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert pharmacist_client.get(ORDERS).status_code == 200


def test_order_screen_shows_the_order(pharmacist_client, approved_order, rx_pack):
    approved_order.payment_reference = "PAY-REF-42"
    approved_order.save(update_fields=["payment_reference"])
    response = pharmacist_client.get(url("inspect", approved_order))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        approved_order.number,
        "robin@example.com",
        "1 High Street",
        "Springfield 12345",
        "Baclofen",
        "$15.30",
        "$30.60",
        "Rx",
        "Pay on delivery",
        "PAY-REF-42",
        "In pharmacist review",
        "Sam Rivera",  # who moved it to approved
        "Mark dispensed",
        "Cancel order",
    ):
        assert text in html, text
    assert "Mark shipped" not in html and "Mark refunded" not in html


def test_orders_are_never_added_edited_or_deleted_in_the_admin(pharmacist_client, order_in_review):
    assert pharmacist_client.get("/admin/orders/new/").status_code == 404
    assert pharmacist_client.get(f"/admin/orders/edit/{order_in_review.pk}/").status_code == 404
    assert pharmacist_client.get(f"/admin/orders/delete/{order_in_review.pk}/").status_code == 404


def test_people_without_order_permissions_cannot_see_orders(site_pages, order_in_review):
    editor = make_user("editor@example.com", groups=["Admin only"])
    Group.objects.get(name="Admin only").permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client = Client()
    client.force_login(editor)
    # Wagtail's own screens send people without permission back to the dashboard with a message.
    for screen in (ORDERS, url("inspect", order_in_review)):
        response = client.get(screen)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(url("cancel", order_in_review), {"reason": "No"}).status_code == 403
    assert Order.objects.get().status == OrderStatus.IN_REVIEW
    assert 'href="/admin/orders/"' not in client.get("/admin/").content.decode()


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
    pharmacist_client, rx_pack, second_rx_pack, patient
):
    order = in_review([(rx_pack, 1), (second_rx_pack, 1)], patient)
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
    patient.allergies = "baclofen"
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


# ---------------------------------------------------------------------------
# Dispensing and after


def test_dispensing_an_order_still_in_review_is_refused(pharmacist_client, order_in_review):
    response = pharmacist_client.post(url("dispense", order_in_review), follow=True)
    assert response.status_code == 200
    assert "Cannot dispense: no approved, unexpired prescription covers" in messages_of(response)
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.IN_REVIEW


def test_dispensing_a_line_without_a_verified_item_is_refused(pharmacist_client, approved_order):
    approved_order.lines.update(prescription_item=None)
    page = pharmacist_client.get(url("inspect", approved_order)).content.decode()
    assert "Not covered by an approved, unexpired prescription" in page

    response = pharmacist_client.post(url("dispense", approved_order), follow=True)
    assert "Cannot dispense" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED
    assert not ModelLogEntry.objects.filter(action="orders.dispense").exists()


def test_dispense_ship_deliver(pharmacist_client, pharmacist, dispatcher_client, dispatcher, approved_order):
    response = pharmacist_client.post(url("dispense", approved_order), follow=True)
    assert f"Order {approved_order.number} marked dispensed." in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.DISPENSED

    refused = dispatcher_client.post(url("ship", approved_order), {"tracking_number": "  "}, follow=True)
    assert "This field is required." in messages_of(refused)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.DISPENSED

    response = dispatcher_client.post(
        url("ship", approved_order), {"tracking_number": "1Z999AA10123456784"}, follow=True
    )
    assert "marked shipped" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.SHIPPED and approved_order.tracking_number == "1Z999AA10123456784"

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
    assert "Tracking number 1Z999AA10123456784" in html and "Mark refunded" in html
    assert pharmacist_client.get(url("history", approved_order)).status_code == 200


def test_dispatch_staff_cannot_dispense(dispatcher_client, approved_order):
    assert "Only a pharmacist can mark this order dispensed." in (
        dispatcher_client.get(url("inspect", approved_order)).content.decode()
    )
    assert dispatcher_client.post(url("dispense", approved_order)).status_code == 403
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED


def test_superuser_who_is_not_a_pharmacist_gets_the_services_refusal(site_pages, approved_order):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw"))
    response = client.post(url("dispense", approved_order), follow=True)
    assert "Only a pharmacist" in messages_of(response)
    approved_order.refresh_from_db()
    assert approved_order.status == OrderStatus.APPROVED


def test_shipping_before_dispensing_is_refused(dispatcher_client, approved_order):
    response = dispatcher_client.post(url("ship", approved_order), {"tracking_number": "TRACK1"}, follow=True)
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
