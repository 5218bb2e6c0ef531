"""The pharmacist's bench (issue 12): asking the patient (on hold, answered on their order page, a guest's through
the signed link), contacting the prescriber, internal notes kept apart from the note to the patient, the prescriber
and repeats recorded with an approval, pharmacy-medicine (P) orders reviewed by a pharmacist, the queue's facts and
the one valid-until rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orders import services
from orders.admin_forms import ApproveForm
from orders.models import Order, OrderNote, OrderStatus, order_key
from orders.services import OrderError
from orders.services.queue import queue_flags, queue_summary, waiting_label
from orders.tests.conftest import GUEST_HEALTH, PRESCRIBER, approve_all, place, send_to_review
from prescriptions.models import PrescriptionItem
from prescriptions.services import CHECK_NAMES

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def guest_p_order(p_pack, **kwargs):
    return place([(p_pack, 1)], None, email="guest@example.com", health=GUEST_HEALTH, **kwargs)


def bodies() -> str:
    return "\n".join(message.body for message in mail.outbox)


# ---------------------------------------------------------------------------
# Asking the patient


def test_hold_the_patient_answers_on_their_order_page_and_the_order_is_back_in_review(
    client, rx_pack, patient, pharmacist, django_capture_on_commit_callbacks
):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with django_capture_on_commit_callbacks(execute=True):
        services.hold_for_patient(order, pharmacist, "Have you taken baclofen before?")
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_HOLD
    assert mail.outbox[-1].subject.endswith("On hold: waiting for the patient")
    assert "Have you taken baclofen before?" in mail.outbox[-1].body
    assert order in Order.objects.filter(status__in=[OrderStatus.ON_HOLD])  # still in the queue, as on hold

    client.force_login(patient)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Have you taken baclofen before?" in page and "Send your answer" in page
    response = client.post(f"/orders/{order.number}/answer/", {"answer": "  "})
    assert response.status_code == 400 and "Write your answer" in response.content.decode()
    response = client.post(f"/orders/{order.number}/answer/", {"answer": "Yes, for two years."})
    assert response.status_code == 303

    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    query = order.queries.get()
    assert query.answered and query.answer == "Yes, for two years." and query.asked_by == pharmacist
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Yes, for two years." in page and "Send your answer" not in page
    with pytest.raises(OrderError, match="not waiting for your answer"):
        services.answer_query(order, "Again", by=patient)


def test_a_guest_answers_through_the_signed_order_link(client, p_pack, pharmacist):
    order = guest_p_order(p_pack)
    services.hold_for_patient(order, pharmacist, "Who is the medicine for?")
    answer_url = f"/orders/{order.number}/answer/"

    assert client.post(answer_url, {"answer": "Me"}).status_code == 404  # no key, not the session that placed it
    assert client.post(answer_url, {"answer": "Me", "key": "forged"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.answer_query(order, "Me", guest_key="forged")
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Who is the medicine for?" in page and f'name="key" value="{order_key(order.number)}"' in page

    response = client.post(answer_url, {"answer": "For me, an adult.", "key": order_key(order.number)})
    assert response.status_code == 303
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and order.queries.get().answer == "For me, an adult."


def test_another_customer_cannot_answer(rx_pack, patient, pharmacist):
    from tests.factories import make_user

    order = send_to_review(place([(rx_pack, 1)], patient))
    services.hold_for_patient(order, pharmacist, "Question?")
    with pytest.raises(PermissionDenied):
        services.answer_query(order, "Not mine", by=make_user("other@example.com"))
    with pytest.raises(ValidationError):
        services.hold_for_patient(order, pharmacist, "   ")


# ---------------------------------------------------------------------------
# The prescriber, and internal notes


def test_contacting_the_prescriber_round_trip_keeps_internal_notes(
    rx_pack, patient, pharmacist, django_capture_on_commit_callbacks
):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with django_capture_on_commit_callbacks(execute=True):
        services.await_prescriber(order, pharmacist, "Phoned the GP about the dose: 10 mg or 20 mg?")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PRESCRIBER
    with pytest.raises(OrderError):
        services.hold_for_patient(order, pharmacist, "Anything?")  # only from "in review"
    with django_capture_on_commit_callbacks(execute=True):
        services.prescriber_replied(order, pharmacist, "GP confirmed 10 mg.")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    assert [note.text for note in OrderNote.objects.filter(order=order)] == [
        "Asked the prescriber: Phoned the GP about the dose: 10 mg or 20 mg?",
        "The prescriber replied: GP confirmed 10 mg.",
    ]
    assert "Phoned the GP" not in bodies() and "GP confirmed" not in bodies()
    assert not any(event.note for event in order.events.all())
    with pytest.raises(OrderError):
        services.prescriber_replied(order, pharmacist, "again")


def test_the_internal_note_is_never_sent_nor_shown_to_the_patient_and_the_note_to_the_patient_is(
    client, rx_pack, patient, pharmacist, django_capture_on_commit_callbacks
):
    order = send_to_review(place([(rx_pack, 1)], patient))
    services.add_internal_note(order, pharmacist, "Scan checked against the GP's copy.")
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(order, pharmacist, reason="Take it with food.", internal_note="Checked against scan.")
    assert "Take it with food." in bodies()
    assert "Checked against scan" not in bodies() and "GP's copy" not in bodies()
    assert list(order.internal_notes.values_list("text", flat=True)) == [
        "Scan checked against the GP's copy.",
        "Checked against scan.",
    ]
    client.force_login(patient)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Take it with food." in page
    assert "Checked against scan" not in page and "GP&#x27;s copy" not in page and "GP's copy" not in page


def test_only_staff_write_internal_notes(rx_pack, patient):
    order = place([(rx_pack, 1)], patient)
    with pytest.raises(PermissionDenied):
        services.add_internal_note(order, patient, "Hello")
    assert not OrderNote.objects.exists()


# ---------------------------------------------------------------------------
# The prescriber, repeats and directions, recorded with the approval


def test_approving_a_prescription_needs_and_saves_the_prescriber(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    ids = [order.lines.get().pk]
    approve = dict(approve_line_ids=ids, issued_on=TODAY(), checks=CHECK_NAMES)
    with pytest.raises(ValidationError, match="prescriber's name and registration number"):
        services.review_order(order, pharmacist, **approve)
    with pytest.raises(ValidationError, match="registration number"):
        services.review_order(order, pharmacist, **approve, prescriber_name="Dr Ada Example")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    services.review_order(order, pharmacist, **approve, **PRESCRIBER, prescriber_contact="Example Practice, 555-0100")
    order.prescription.refresh_from_db()
    assert (order.prescription.prescriber_name, order.prescription.prescriber_registration) == (
        "Dr Ada Example",
        "GMC 1234567",
    )
    assert order.prescription.prescriber_contact == "Example Practice, 555-0100"


def test_repeat_and_directions_are_saved_on_the_item_and_the_line(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    line = order.lines.get()
    with pytest.raises(ValidationError, match="interval"):
        approve_all(order, pharmacist, issues_allowed=3)
    approve_all(
        order, pharmacist, issues_allowed=3, interval_days=28, directions={line.pk: "One tablet three times a day"}
    )
    line.refresh_from_db()
    item = PrescriptionItem.objects.get()
    assert line.prescription_item == item
    assert (item.issues_allowed, item.interval_days) == (3, 28)
    assert item.directions == line.directions == "One tablet three times a day"


def test_the_forms_valid_until_is_the_one_the_service_saves(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    order.prescription.issued_on = TODAY() - timedelta(days=20)
    order.prescription.save()
    rx_lines = services.prescription_lines(order)
    form = ApproveForm(rx_lines=rx_lines, prescription=order.prescription)
    approve_all(order, pharmacist, issued_on=None)  # the date already on the prescription, no valid-until typed
    assert form.initial["valid_until"] == PrescriptionItem.objects.get().valid_until
    assert form.initial["valid_until"] == TODAY() - timedelta(days=20) + timedelta(days=180)


# ---------------------------------------------------------------------------
# Pharmacy medicines (P)


def test_a_guests_p_order_waits_for_a_pharmacist_who_approves_it(p_pack, otc_pack, pharmacist):
    order = place([(p_pack, 2), (otc_pack, 1)], None, email="guest@example.com", health=GUEST_HEALTH)
    assert order.status == OrderStatus.IN_REVIEW and order.prescription is None
    p_line = order.lines.get(pack=p_pack)
    assert p_line.pharmacy_medicine and not order.lines.get(pack=otc_pack).pharmacy_medicine
    assert services.pharmacy_lines(order) == [p_line]

    with pytest.raises(ValidationError, match="not confirmed: answers read, suitable"):
        services.review_order(order, pharmacist, approve_line_ids=[p_line.pk])
    decision = services.review_order(
        order,
        pharmacist,
        approve_line_ids=[p_line.pk],
        p_checks=services.P_CHECK_NAMES,
        directions={p_line.pk: "One tablet every 4 to 6 hours"},
    )
    assert decision is None  # no prescription, no prescription decision
    order.refresh_from_db()
    p_line.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert p_line.pharmacist_approved_by == pharmacist and p_line.pharmacist_approved_at is not None
    assert p_line.directions == "One tablet every 4 to 6 hours"


def test_rejecting_a_p_order_needs_a_reason(p_pack, pharmacist):
    order = guest_p_order(p_pack)
    with pytest.raises(ValidationError, match="reason"):
        services.review_order(order, pharmacist, approve_line_ids=[], reason=" ")
    services.review_order(order, pharmacist, approve_line_ids=[], reason="Not suitable with your other medicines.")
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED and order.status_note == "Not suitable with your other medicines."


def test_a_mixed_order_waits_for_its_prescription_then_both_kinds_are_decided_together(
    rx_pack, p_pack, patient, pharmacist
):
    order = place([(rx_pack, 1), (p_pack, 1)], patient)
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION
    send_to_review(order)
    rx_line, p_line = order.lines.get(pack=rx_pack), order.lines.get(pack=p_pack)
    approve_all(order, pharmacist, approve_line_ids=[rx_line.pk, p_line.pk], p_checks=services.P_CHECK_NAMES)
    rx_line.refresh_from_db()
    p_line.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert rx_line.prescription_item is not None and p_line.pharmacist_approved_by == pharmacist


# ---------------------------------------------------------------------------
# The queue's facts


def test_queue_summary_counts_by_status_and_the_oldest_wait(rx_pack, p_pack, patient, pharmacist):
    first = send_to_review(place([(rx_pack, 1)], patient))
    second = send_to_review(place([(rx_pack, 1)], patient))
    guest_p_order(p_pack)
    services.hold_for_patient(first, pharmacist, "Question?")
    services.await_prescriber(second, pharmacist, "Asked the GP.")
    place([(rx_pack, 1)], patient)  # awaiting its prescription: not waiting for a pharmacist
    summary = queue_summary()
    assert (summary.in_review, summary.on_hold, summary.awaiting_prescriber, summary.total) == (1, 1, 1, 3)
    assert summary.oldest_since == first.events.get(to_status=OrderStatus.IN_REVIEW).created_at


def test_waiting_label():
    now = timezone.now()
    assert waiting_label(now - timedelta(days=2, hours=3, minutes=5), now) == "2 days 3 h"
    assert waiting_label(now - timedelta(hours=5, minutes=10), now) == "5 h 10 min"
    assert waiting_label(now - timedelta(minutes=12), now) == "12 min"
    assert waiting_label(None) == "—"


def test_queue_flags(rx_pack, p_pack, patient, pharmacist):
    patient.date_of_birth, patient.allergy_answer = None, ""
    patient.save()
    order = send_to_review(place([(rx_pack, 1)], patient))
    assert queue_flags(order) == ["warning", "no DOB", "allergies not answered"]  # "cannot screen" is a warning
    patient.date_of_birth, patient.allergy_answer, patient.allergies = date(1980, 1, 15), "listed", "baclofen"
    patient.save()
    services.hold_for_patient(order, pharmacist, "Question?")
    order = Order.objects.select_related("customer").get(pk=order.pk)
    assert queue_flags(order) == ["severe", "on hold"]
    guest = guest_p_order(p_pack)  # with the guest's health details
    assert queue_flags(guest) == ["P"]
    silent = place([(p_pack, 1)], None, email="silent@example.com")  # a guest who gave none
    assert queue_flags(silent) == ["warning", "P", "no DOB", "allergies not answered"]
