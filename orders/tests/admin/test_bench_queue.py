"""The pharmacist's bench in the admin (issue 12): the dashboard panel, the queue's columns and filters, and the
review screen's questions, notes, questionnaire answers and prescriber fields."""

from __future__ import annotations

from datetime import date

import pytest

from orders import services
from orders.models import OrderNote, OrderStatus
from orders.tests.admin.conftest import QUEUE, approve_data, in_review, messages_of, place, rx_line_ids, url

pytestmark = pytest.mark.django_db


def test_dashboard_panel_and_queue_columns_and_filters(pharmacist_client, admin_client, rx_pack, p_pack, patient):
    from tests.factories import make_user

    patient.date_of_birth, patient.allergy_answer = None, ""  # Robin: no date of birth, allergies not answered
    patient.save()
    held = in_review([(rx_pack, 1)], patient)
    services.hold_for_patient(held, make_user_pharmacist(), "Question?")
    answered = make_user(
        "kim@example.com", first_name="Kim", last_name="Lee", date_of_birth=date(1990, 1, 15), allergy_answer="none"
    )
    ready = in_review([(rx_pack, 1)], answered)
    guest = place([(p_pack, 1)], None)

    dashboard = pharmacist_client.get("/admin/").content.decode()
    assert "Waiting for a pharmacist" in dashboard
    assert "3</strong> orders waiting: 2 in review · 1 on hold" in dashboard and "Oldest: " in dashboard
    assert "Waiting for a pharmacist" not in admin_client.get("/admin/").content.decode()  # not a pharmacist

    html = pharmacist_client.get(QUEUE).content.decode()
    for order in (held, ready, guest):
        assert order.number in html
    assert html.index(held.number) < html.index(ready.number) < html.index(guest.number)  # oldest first
    assert "Robin Patel (age unknown)" in html and "Kim Lee (" in html and "(guest) (age unknown)" in html
    assert "Baclofen 10 mg tablet" in html and "Chlorphenamine 4 mg tablet" in html
    assert "on hold, no DOB, allergies not answered" in html and "P, no DOB" in html
    assert " min" in html

    def listed(query):
        page = pharmacist_client.get(QUEUE, query).content.decode()
        return {order.number for order in (held, ready, guest) if order.number in page}

    assert listed({"status": OrderStatus.ON_HOLD}) == {held.number}
    assert listed({"kind": "pharmacy"}) == {guest.number}
    assert listed({"kind": "prescription"}) == {held.number, ready.number}
    assert listed({"flagged": "yes"}) == {held.number, guest.number}


def make_user_pharmacist():
    from tests.factories import make_pharmacist

    return make_pharmacist("second.pharmacist@example.com")


def test_review_screen_hold_notes_questionnaire_and_prescriber(pharmacist_client, pharmacist, rx_pack, p_pack, patient):
    order = in_review([(rx_pack, 1), (p_pack, 1)], patient)
    order.health_answers = [
        {"product": "Chlorphenamine 4 mg", "questions": [{"question": "Who is it for?", "answer": "Me <b>only</b>"}]}
    ]
    order.save(update_fields=["health_answers"])
    review = url("review", order)
    html = pharmacist_client.get(review).content.decode()
    assert "Who is it for?" in html and "Me &lt;b&gt;only&lt;/b&gt;" in html  # the patient's text, escaped
    assert "Answers read" in html and "registration number" in html

    # The prescriber's name and registration number are required to approve a prescription.
    data = approve_data(rx_line_ids(order), prescriber_name="", prescriber_registration="")
    response = pharmacist_client.post(review, data)
    assert response.status_code == 200 and "Record the prescriber" in response.content.decode()

    response = pharmacist_client.post(review, {"action": "note", "internal-text": "Scan is a photo of a copy."})
    assert response.status_code == 302
    assert OrderNote.objects.get(order=order).text == "Scan is a photo of a copy."

    response = pharmacist_client.post(review, {"action": "hold", "hold-question": "Is the 4 mg for you?"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_HOLD
    services.answer_query(order, "Yes, for hay fever.", by=patient)
    html = pharmacist_client.get(review).content.decode()
    assert "Is the 4 mg for you?" in html and "Yes, for hay fever." in html and "Scan is a photo of a copy." in html
    assert "Scan is a photo of a copy." in pharmacist_client.get(url("inspect", order)).content.decode()

    response = pharmacist_client.post(review, {"action": "prescriber", "prescriber-note": "Asked the GP about dose."})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PRESCRIBER
    response = pharmacist_client.post(review, {"action": "prescriber_replied", "replied-note": "GP: dose is right."})
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW

    p_line = order.lines.get(pack=p_pack)
    data = approve_data(
        [*rx_line_ids(order), p_line.pk],
        issues_allowed="2",
        interval_days="28",
        **{f"directions_{p_line.pk}": "One tablet at night"},
        **{name: "on" for name in services.P_CHECK_NAMES},
    )
    response = pharmacist_client.post(review, data)
    assert response.status_code == 302, messages_of(response)
    order.refresh_from_db()
    p_line.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert p_line.pharmacist_approved_by == pharmacist and p_line.directions == "One tablet at night"
    item = order.lines.get(pack=rx_pack).prescription_item
    assert (item.issues_allowed, item.interval_days) == (2, 28)
    assert order.prescription.prescriber_registration == "GMC 1234567"


def test_the_queue_costs_no_more_per_row_than_the_safety_checks(pharmacist_client, rx_pack, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.models import Order

    def queue_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pharmacist_client.get(QUEUE).status_code == 200
        return len(captured.captured_queries)

    first = in_review([(rx_pack, 1)], patient)
    one = queue_queries()
    for _ in range(3):
        in_review([(rx_pack, 1)], patient)
    order = Order.objects.select_related("customer").get(pk=first.pk)
    lines = list(order.lines.select_related("pack__product__medicine"))
    with CaptureQueriesContext(connection) as checks:
        services.safety_checks(order, lines=lines)
    assert queue_queries() <= one + 3 * len(checks.captured_queries)
