"""What a verified prescription item covers, and the decision record that cannot be changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from prescriptions.models import (
    ImmutableRecordError,
    Prescription,
    PrescriptionDecision,
    PrescriptionItem,
    PrescriptionStatus,
    prescription_upload_to,
)
from tests.factories import make_pharmacist, make_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(medicine):
    patient = make_user("robin@example.com")
    prescription = Prescription.objects.create(
        patient=patient, prescriber_name="Dr. A. Example", status=PrescriptionStatus.APPROVED
    )
    return PrescriptionItem.objects.create(
        prescription=prescription,
        product=make_product(medicine),
        units=60,
        valid_until=timezone.localdate() + timedelta(days=10),
        approved_by=make_pharmacist(),
    )


def test_an_item_covers_its_product_up_to_its_units_until_its_date(item, medicine):
    today = timezone.localdate()
    product = item.product
    assert item.covers(product, 60) and item.covers(product, 1)
    assert not item.covers(product, 61)
    assert item.covers(product, 60, on=item.valid_until)
    assert not item.covers(product, 60, on=item.valid_until + timedelta(days=1))
    assert not item.covers(make_product(medicine, strength="20 mg"), 30)
    item.valid_until = today - timedelta(days=1)
    assert not item.covers(product, 30)


@pytest.mark.parametrize(
    "status, covers",
    [
        (PrescriptionStatus.APPROVED, True),
        (PrescriptionStatus.PARTLY_APPROVED, True),
        (PrescriptionStatus.SUBMITTED, False),
        (PrescriptionStatus.REJECTED, False),
    ],
)
def test_only_an_approved_prescription_covers(item, status, covers):
    Prescription.objects.filter(pk=item.prescription_id).update(status=status)
    item = PrescriptionItem.objects.get(pk=item.pk)
    assert item.covers(item.product, 30) is covers


def test_a_prescription_needs_a_file_or_a_prescriber():
    patient = make_user("robin@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.create(patient=patient)


def test_an_item_covers_at_least_one_unit(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriptionItem.objects.filter(pk=item.pk).update(units=0)


def test_stored_file_names_reveal_nothing_about_the_patient():
    prescription = Prescription(content_type="image/jpeg")
    name = prescription_upload_to(prescription, "Robin Patel - baclofen.pdf")
    assert name.endswith(".jpg") and "Robin" not in name and "baclofen" not in name
    assert prescription_upload_to(Prescription(content_type="text/html"), "x.html").endswith(".bin")


def test_a_decision_is_written_once(item):
    decision = PrescriptionDecision.objects.create(
        prescription=item.prescription, pharmacist=item.approved_by, decision="approved", reason="Fine."
    )
    decision.reason = "Changed."
    with pytest.raises(ImmutableRecordError, match="cannot be edited"):
        decision.save()
    with pytest.raises(ImmutableRecordError, match="cannot be deleted"):
        decision.delete()
    assert PrescriptionDecision.objects.get().reason == "Fine."
    assert "Approved by Sam Rivera" in str(decision)
