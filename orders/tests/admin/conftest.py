"""Fixtures and helpers of the admin tests: a dispatcher, a patient with allergies, a second prescription pack, and
orders in review or approved (the pharmacist, the patient and the packs come from the conftest.py files above).
Every action goes through the real services; nothing is mocked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medicines.models import Interaction, InteractionSeverity
from orders import services
from orders.models import OrderStatus
from orders.tests.conftest import place as place_order
from prescriptions import services as prescription_services
from tests.factories import (
    make_medicine,
    make_prescription_upload,
    make_product,
    make_reference,
    make_user,
)

ORDERS = reverse("orders_admin:index")
QUEUE = reverse("orders_admin:review_queue")
CHECKLIST = ["checked_patient", "checked_prescriber", "checked_medicine", "checked_strength", "checked_quantity"]
CHECKLIST += ["checked_date"]


def url(name, order):
    return reverse(f"orders_admin:{name}", args=[order.pk])


# ---------------------------------------------------------------------------
# People, medicines and orders


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
def allergic_patient(db):
    """``make_allergic_patient()``; in place of the root conftest's ``patient`` (same person), never beside it."""
    from tests.factories import make_allergic_patient

    return make_allergic_patient()


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


def place(packs_and_quantities, customer):
    """``orders.tests.conftest.place``, from the customer's (or a guest's) address."""
    return place_order(packs_and_quantities, customer, email=customer.email if customer else "guest@example.com")


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
        "approve-internal_note": "",
        "approve-prescriber_name": "Dr Ada Example",
        "approve-prescriber_registration": "GMC 1234567",
        "approve-prescriber_contact": "",
        "approve-issues_allowed": "1",
        "approve-interval_days": "",
        "approve-override_reason": "",
        **{f"approve-{name}": "on" for name in CHECKLIST},
    }
    data.update({f"approve-{key}": value for key, value in fields.items()})
    return data


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
        checks=CHECKLIST,
        prescriber_name="Dr Ada Example",
        prescriber_registration="GMC 1234567",
    )
    order_in_review.refresh_from_db()
    assert order_in_review.status == OrderStatus.APPROVED
    return order_in_review


def dispense_data(order, *, batch="B12345", expiry=None, directions="Take one tablet three times a day."):
    """The dispense screen's form: a batch, an expiry (a year ahead) and directions for every line."""
    expiry = expiry or (timezone.localdate() + timedelta(days=365))
    data = {}
    for pk in order.lines.filter(removed=False).values_list("pk", flat=True):
        data.update(
            {
                f"line-{pk}-batch_number": batch,
                f"line-{pk}-expiry_date": expiry.isoformat(),
                f"line-{pk}-directions": directions,
            }
        )
    return data
