"""Prescription uploads (the type comes from the bytes), who may see them, and the decision record."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from prescriptions import services
from prescriptions.models import DecisionKind, Prescription, PrescriptionStatus
from tests.factories import make_pharmacist, make_product, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("scan.pdf", PDF, "application/pdf"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.JPEG", JPEG, "image/jpeg"),
        ("scan.png", PNG, "image/png"),
        ("scan.pdf", PNG, "image/png"),  # the name lies: the bytes decide
        ("no-extension", JPEG, "image/jpeg"),
    ],
)
def test_real_pdf_jpeg_and_png_are_accepted_by_their_bytes(name, content, expected):
    file = upload(name, content)
    assert services.validate_upload(file) == expected
    assert file.tell() == 0  # left ready to be saved


@pytest.mark.parametrize(
    "name, content",
    [
        ("scan.pdf", b"This is only text pretending to be a PDF.\n"),
        ("scan.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"GIF89a\x01\x00\x01\x00"),
        ("scan.pdf", b" %PDF-1.4 with a leading space"),
    ],
)
def test_anything_else_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError, match="not a PDF, JPEG or PNG") as refused:
        services.validate_upload(upload(name, content))
    assert refused.value.code == "bad_type"


def test_too_large_is_refused_with_the_limit():
    with override_settings(PRESCRIPTION_MAX_UPLOAD_BYTES=2 * 1_048_576):
        assert services.validate_upload(upload("scan.pdf", PDF + b"0" * (2 * 1_048_576 - len(PDF)))) == (
            "application/pdf"
        )
        with pytest.raises(ValidationError, match="the limit is 2 MB") as refused:
            services.validate_upload(upload("scan.pdf", PDF + b"0" * (2 * 1_048_576)))
    assert refused.value.code == "too_large"


def test_empty_is_refused():
    with pytest.raises(ValidationError, match="empty") as refused:
        services.validate_upload(upload("scan.pdf", b""))
    assert refused.value.code == "empty"


@pytest.mark.django_db
def test_submit_keeps_the_file_privately_under_a_meaningless_name():
    patient = make_user("robin@example.com")
    prescription = services.submit_prescription(patient, upload=upload("Robin Patel baclofen.pdf", PNG))
    prescription.refresh_from_db()
    assert prescription.content_type == "image/png"
    assert prescription.original_filename == "Robin Patel baclofen.pdf"
    assert prescription.file.name.endswith(".png") and "Robin" not in prescription.file.name
    assert prescription.file.storage is not None and prescription.file.read() == PNG
    assert prescription.status == PrescriptionStatus.SUBMITTED and prescription.patient == patient


@pytest.mark.django_db
def test_submit_refuses_a_bad_file_and_saves_nothing():
    patient = make_user("robin@example.com")
    with pytest.raises(ValidationError):
        services.submit_prescription(patient, upload=upload("scan.pdf", b"just text"))
    assert not Prescription.objects.exists()


@pytest.mark.django_db
def test_submit_without_a_file_needs_the_prescriber():
    patient = make_user("robin@example.com")
    with pytest.raises(ValidationError, match="who prescribed it"):
        services.submit_prescription(patient, prescriber_name="   ")
    prescription = services.submit_prescription(
        patient, prescriber_name=" Dr. A. Example ", prescriber_contact=" Example Practice, 555-0100 "
    )
    assert (prescription.prescriber_name, prescription.prescriber_contact) == (
        "Dr. A. Example",
        "Example Practice, 555-0100",
    )
    assert not prescription.has_file


@pytest.mark.django_db
def test_only_the_patient_and_pharmacists_can_view():
    from django.contrib.auth.models import AnonymousUser

    patient = make_user("robin@example.com")
    prescription = services.submit_prescription(patient, upload=upload("scan.pdf", PDF))
    pharmacist = make_pharmacist()
    assert services.can_view(patient, prescription)
    assert services.can_view(pharmacist, prescription)
    nobody = [
        AnonymousUser(),
        None,
        make_user("someone@example.com"),
        make_user("editor@example.com", is_staff=True, groups=["Editors"]),
        make_user("dispatch@example.com", is_staff=True, groups=["Dispatch"]),
        make_user("former@example.com", groups=["Pharmacists"], is_active=False),
    ]
    for user in nobody:
        assert not services.can_view(user, prescription), user


@pytest.mark.django_db
def test_only_a_pharmacist_decides(medicine):
    patient = make_user("robin@example.com")
    prescription = services.submit_prescription(patient, upload=upload("scan.pdf", PDF))
    product = make_product(medicine)
    valid_until = timezone.localdate() + timedelta(days=30)
    for user in (patient, make_user("staff@example.com", is_staff=True), None):
        with pytest.raises(PermissionDenied):
            services.record_decision(prescription, user, approved_items=[(product, 30, valid_until)])
    assert not prescription.items.exists() and not prescription.decisions.exists()


@pytest.mark.django_db
def test_record_decision_approves_with_items_or_rejects_with_a_reason(medicine):
    patient = make_user("robin@example.com")
    pharmacist = make_pharmacist()
    product = make_product(medicine)
    valid_until = timezone.localdate() + timedelta(days=30)
    approved = services.submit_prescription(patient, upload=upload("scan.pdf", PDF))
    decision, _items = services.record_decision(
        approved,
        pharmacist,
        approved_items=[(product, 60, valid_until)],
        issued_on=timezone.localdate(),
        details={"order": "AP-1"},
        checks=services.CHECK_NAMES,
        prescriber_name="Dr Ada Example",
        prescriber_registration="GMC 1234567",
    )
    approved.refresh_from_db()
    assert decision.decision == DecisionKind.APPROVED and approved.status == PrescriptionStatus.APPROVED
    assert approved.issued_on == timezone.localdate()
    [item] = approved.items.all()
    assert (item.product, item.units, item.valid_until, item.approved_by) == (product, 60, valid_until, pharmacist)

    rejected = services.submit_prescription(patient, upload=upload("scan.pdf", PDF))
    with pytest.raises(ValidationError, match="reason"):
        services.record_decision(rejected, pharmacist, approved_items=[], reason=" ")
    decision, _items = services.record_decision(rejected, pharmacist, approved_items=[], reason=" Not signed. ")
    rejected.refresh_from_db()
    assert decision.decision == DecisionKind.REJECTED and decision.reason == "Not signed."
    assert (rejected.status, rejected.rejection_reason) == (PrescriptionStatus.REJECTED, "Not signed.")
    assert not rejected.items.exists()


@pytest.mark.django_db
def test_an_approval_needs_every_point_of_the_checklist_whoever_calls(medicine):
    prescription = services.submit_prescription(make_user("robin@example.com"), upload=upload("scan.pdf", PDF))
    pharmacist = make_pharmacist()
    approved_items = [(make_product(medicine), 30, timezone.localdate() + timedelta(days=30))]
    unchecked = ["checked_prescriber", "checked_date"]
    for checks in ((), [name for name in services.CHECK_NAMES if name not in unchecked]):
        with pytest.raises(services.ChecklistIncomplete) as refused:
            services.record_decision(prescription, pharmacist, approved_items=approved_items, checks=checks)
        assert "not confirmed:" in refused.value.messages[0]
    assert "prescriber, date." in refused.value.messages[0] and "patient" not in refused.value.messages[0]
    assert not prescription.items.exists() and not prescription.decisions.exists()
    # A rejection approves nothing: it needs a reason, not the checklist.
    services.record_decision(prescription, pharmacist, approved_items=[], reason="Not signed.")
    services.record_decision(
        prescription, pharmacist, approved_items=approved_items, checks=services.CHECK_NAMES, **PRESCRIBER
    )
    assert prescription.items.count() == 1
    assert services.confirmed_checks(["checked_date", "checked_patient"]) == ["Patient", "Date"]


PRESCRIBER = {"prescriber_name": "Dr Ada Example", "prescriber_registration": "GMC 1234567"}


def test_validity_runs_from_the_prescriptions_own_date(settings):
    settings.PRESCRIPTION_VALID_DAYS, settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS = 180, 30
    written = timezone.localdate() - timedelta(days=40)
    assert services.latest_valid_until(written) == written + timedelta(days=180)
    assert services.latest_valid_until(written, controlled=True) == written + timedelta(days=30)


@pytest.mark.django_db
def test_an_approval_records_the_prescriber_and_the_repeat(medicine):
    prescription = services.submit_prescription(make_user("robin@example.com"), upload=upload("scan.pdf", PDF))
    pharmacist = make_pharmacist()
    item = (make_product(medicine), 30, timezone.localdate() + timedelta(days=30), " Take one three times a day ")
    approve = partial(services.record_decision, prescription, pharmacist, approved_items=[item])
    with pytest.raises(ValidationError, match="prescriber's registration number"):
        approve(checks=services.CHECK_NAMES, prescriber_name="Dr Ada Example")
    with pytest.raises(ValidationError, match="interval"):
        approve(checks=services.CHECK_NAMES, **PRESCRIBER, issues_allowed=3)
    assert not prescription.items.exists() and not prescription.decisions.exists()

    _decision, [saved] = approve(
        checks=services.CHECK_NAMES,
        **PRESCRIBER,
        prescriber_contact="Example Practice",
        issues_allowed=3,
        interval_days=28,
    )
    prescription.refresh_from_db()
    assert (prescription.prescriber_name, prescription.prescriber_registration, prescription.prescriber_contact) == (
        "Dr Ada Example",
        "GMC 1234567",
        "Example Practice",
    )
    saved.refresh_from_db()
    assert (saved.issues_allowed, saved.interval_days, saved.directions) == (3, 28, "Take one three times a day")
