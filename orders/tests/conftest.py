"""Fixtures for the ordering tests: packs of a prescription-only and a controlled medicine (the pharmacist, the
patient and the OTC pack come from the root conftest.py). Everything goes through the real services; nothing of ours
is mocked."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.factories import ADDRESS, make_medicine, make_prescription_upload, make_product


@pytest.fixture
def rx_pack(medicine):
    """Baclofen 10 mg, 30 tablets, $15.30, 10 on the shelf (prescription only)."""
    return make_product(medicine, packs=((30, "15.30", 10),)).packs.get()


@pytest.fixture
def controlled_medicine(site_pages, drug_class):
    from medicines.models import LegalStatus

    return make_medicine(
        site_pages["medicines"],
        drug_class,
        "Carisoprodol",
        legal_status=LegalStatus.CONTROLLED,
        controlled_schedule="IV",
    )


@pytest.fixture
def controlled_pack(controlled_medicine):
    return make_product(controlled_medicine, strength="350 mg", packs=((30, "20.00", 10),)).packs.get()


def place(packs_and_quantities, customer=None, *, token=None, email="robin@example.com", **kwargs):
    """``orders.services.place_order`` with the test address and pay on delivery; a pharmacy medicine's questionnaire
    answered (``questionnaire_answers``) unless ``health_answers`` is given."""
    from orders import services

    kwargs.setdefault("health_answers", questionnaire_answers(pack for pack, _quantity in packs_and_quantities))
    return services.place_order(
        quantities={pack.pk: quantity for pack, quantity in packs_and_quantities},
        customer=customer,
        email=email,
        address=dict(ADDRESS),
        payment_method=kwargs.pop("payment_method", "pay_on_delivery"),
        checkout_token=token or uuid.uuid4().hex,
        **kwargs,
    )


# A guest's health details as given at checkout (``place_order(health=...)``).
GUEST_HEALTH = {"date_of_birth": date(1990, 1, 15), "allergy_answer": "none", "allergies": "", "current_medicines": ""}


def questionnaire_answers(packs) -> list[dict]:
    """A plausible answer to every question of each pharmacy medicine among ``packs`` (``Order.health_answers``)."""
    from orders.services import questions_for
    from orders.services.questionnaire import YES

    products = {
        pack.product_id: pack.product
        for pack in packs
        if pack.product_id and pack.product.medicine.is_pharmacy_medicine  # (an unsaved pack: no product)
    }
    return [
        {
            "product": product.name,
            "product_id": product.pk,
            "questions": [
                {"question": question.text, "answer": YES if question.kind == "yes_no" else "34"}
                for question in questions_for(product)
            ],
        }
        for product in products.values()
    ]


def send_to_review(order, upload=None):
    """The patient uploads a prescription and attaches it: the order goes to the pharmacist's queue."""
    from orders import services
    from prescriptions import services as prescription_services

    prescription = prescription_services.submit_prescription(
        order.customer, upload=upload or make_prescription_upload()
    )
    services.attach_prescription(order, prescription)
    order.refresh_from_db()
    return order


# The prescriber as the pharmacist records them from the prescription (required to approve one).
PRESCRIBER = {"prescriber_name": "Dr Ada Example", "prescriber_registration": "GMC 1234567"}


def approve_all(order, pharmacist, **kwargs):
    """The pharmacist approves every prescription line of ``order`` (or ``approve_line_ids``), with the prescriber
    recorded."""
    from django.utils import timezone

    from orders import services
    from prescriptions.services import CHECK_NAMES

    ids = kwargs.pop("approve_line_ids", None) or list(
        order.lines.filter(requires_prescription=True, removed=False).values_list("pk", flat=True)
    )
    kwargs.setdefault("issued_on", timezone.localdate())
    kwargs.setdefault("checks", CHECK_NAMES)
    for name, value in PRESCRIBER.items():
        kwargs.setdefault(name, value)
    decision = services.review_order(order, pharmacist, approve_line_ids=ids, **kwargs)
    order.refresh_from_db()
    return decision


def force_status(order, status):
    """Put ``order`` in ``status`` behind the services' back (for a test)."""
    from orders.models import Order

    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()


def stock(pack) -> int:
    pack.refresh_from_db()
    return pack.stock


def dispensing(order, *, batch="B12345", directions="Take one tablet three times a day."):
    """What the pharmacist records when dispensing ``order``: a batch, an expiry a year ahead and directions for each
    line (``orders.services.dispense``'s details)."""
    from datetime import timedelta

    from django.utils import timezone

    from orders.services import Dispensed

    expiry = timezone.localdate() + timedelta(days=365)
    return {line.pk: Dispensed(batch, expiry, directions) for line in order.lines.filter(removed=False)}


def carrier(name="Parcel Example"):
    """An active, fictional carrier."""
    from orders.models import Carrier

    return Carrier.objects.get_or_create(
        name=name, defaults={"tracking_url": "https://tracking.example/parcel?number={tracking}"}
    )[0]


@pytest.fixture
def p_pack(site_pages, drug_class):
    """A made-up pharmacy medicine (P), Chlorphenamine 4 mg, 28 tablets, $3.20: sold only after a pharmacist
    approves the order."""
    from medicines.models import LegalStatus

    medicine = make_medicine(site_pages["medicines"], drug_class, "Chlorphenamine", legal_status=LegalStatus.PHARMACY)
    return make_product(medicine, strength="4 mg", packs=((28, "3.20", 20),)).packs.get()
