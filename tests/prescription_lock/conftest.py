"""Fixtures of the prescription lock's tests: the shelf (tizanidine, prescription only; ibuprofen, over the
counter), a superuser who tries, and an approved order. The pharmacist, the editor and the patient come from the root
conftest.py."""

from __future__ import annotations

import pytest

from medicines.models import LegalStatus
from orders import services
from orders.models import OrderStatus
from prescriptions import services as prescription_services
from tests.factories import (
    make_medicine,
    make_order,
    make_prescription_upload,
    make_product,
)


@pytest.fixture
def shelf(site_pages, drug_class):
    """Tizanidine 2 mg tablets (prescription only) and ibuprofen 200 mg tablets (over the counter)."""
    tizanidine = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    ibuprofen = make_medicine(
        site_pages["medicines"], drug_class, title="Ibuprofen", legal_status=LegalStatus.GENERAL_SALE
    )
    tablets = make_product(tizanidine, "2 mg", packs=((30, "9.00", 50),))
    otc_tablets = make_product(ibuprofen, "200 mg", packs=((24, "3.50", 50),))
    return {
        "tizanidine": tizanidine,
        "ibuprofen": ibuprofen,
        "tablets": tablets,
        "pack": tablets.packs.get(),
        "otc_tablets": otc_tablets,
        "otc_pack": otc_tablets.packs.get(),
    }


@pytest.fixture
def approved_tizanidine_order(shelf, patient, pharmacist):
    """The patient's order of one pack of the shelf's tizanidine, its prescription approved by the pharmacist."""
    order = make_order([(shelf["pack"], 1)], customer=patient, email=patient.email)
    prescription = prescription_services.submit_prescription(patient, upload=make_prescription_upload())
    services.attach_prescription(order, prescription)
    from django.utils import timezone

    services.review_order(
        order,
        pharmacist,
        approve_line_ids=[order.lines.get().pk],
        issued_on=timezone.localdate(),
        checks=prescription_services.CHECK_NAMES,
        prescriber_name="Dr Ada Example",
        prescriber_registration="GMC 1234567",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    return order
