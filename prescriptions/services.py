"""Prescription rules: what may be uploaded, who may decide, and the record of each decision."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.roles import is_pharmacist
from prescriptions.models import (
    DecisionKind,
    Prescription,
    PrescriptionDecision,
    PrescriptionItem,
    PrescriptionStatus,
)

# What a file's first bytes say it is; the name and the browser's claim are ignored.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def validate_upload(upload) -> str:
    """The real type of an uploaded prescription, or a ValidationError saying what is wrong."""
    limit = settings.PRESCRIPTION_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.", code="too_large"
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            "This file is not a PDF, JPEG or PNG (whatever its name says). Please upload a scan or photo of the "
            "prescription in one of those formats.",
            code="bad_type",
        )
    return content_type


def require_pharmacist(user) -> None:
    if not is_pharmacist(user):
        raise PermissionDenied("Only a pharmacist can decide on a prescription.")


def can_view(user, prescription: Prescription) -> bool:
    """The patient who uploaded it and pharmacists; nobody else."""
    return bool(user and user.is_authenticated and (prescription.patient_id == user.pk or is_pharmacist(user)))


@transaction.atomic
def submit_prescription(patient, *, upload=None, prescriber_name="", prescriber_contact="") -> Prescription:
    """Keep an uploaded prescription (checked by its bytes) or the prescriber's details."""
    if upload is None and not prescriber_name.strip():
        raise ValidationError("Upload the prescription, or tell us who prescribed it so we can contact them.")
    prescription = Prescription(
        patient=patient, prescriber_name=prescriber_name.strip(), prescriber_contact=prescriber_contact.strip()
    )
    if upload is not None:
        prescription.content_type = validate_upload(upload)
        prescription.original_filename = upload.name[:255]
        prescription.file.save(upload.name, upload, save=False)
    prescription.save()
    return prescription


@transaction.atomic
def record_decision(
    prescription: Prescription,
    pharmacist,
    *,
    approved_items: list[tuple],
    reason: str = "",
    override_reason: str = "",
    issued_on: date | None = None,
    details: dict | None = None,
) -> tuple[PrescriptionDecision, list[PrescriptionItem]]:
    """A pharmacist's decision: verified items (product, units, valid until) or none (a rejection).

    Logged once and never editable. A rejection needs a reason the patient will see.
    Returns the decision and the items it verified, in the order given.
    """
    require_pharmacist(pharmacist)
    if not approved_items and not reason.strip():
        raise ValidationError("Give the patient a reason for the rejection.")
    if issued_on is not None:
        prescription.issued_on = issued_on
    items = [
        PrescriptionItem.objects.create(
            prescription=prescription, product=product, units=units, valid_until=valid_until, approved_by=pharmacist
        )
        for product, units, valid_until in approved_items
    ]
    if not approved_items:
        kind = DecisionKind.REJECTED
        prescription.status = PrescriptionStatus.REJECTED
        prescription.rejection_reason = reason.strip()
    elif details and details.get("partial"):
        kind = DecisionKind.PARTLY_APPROVED
        prescription.status = PrescriptionStatus.PARTLY_APPROVED
    else:
        kind = DecisionKind.APPROVED
        prescription.status = PrescriptionStatus.APPROVED
    prescription.save()
    decision = PrescriptionDecision.objects.create(
        prescription=prescription,
        pharmacist=pharmacist,
        decision=kind,
        reason=reason.strip(),
        override_reason=override_reason.strip(),
        details=details or {},
    )
    return decision, items


# ---------------------------------------------------------------------------
# Showing an uploaded PDF as pictures: a browser does not render a PDF served with a CSP sandbox, and an uploaded file
# is never served without one; so the review screen shows its pages drawn here, as PNG images.

MAX_PREVIEW_PAGES = 10
PREVIEW_WIDTH = 1200  # pixels


def pdf_page_count(prescription: Prescription) -> int:
    """How many pages of the prescription's PDF can be shown (at most ``MAX_PREVIEW_PAGES``); 0 when none."""
    document = _open_pdf(prescription)
    if document is None:
        return 0
    try:
        return min(len(document), MAX_PREVIEW_PAGES)
    finally:
        document.close()


def render_pdf_page(prescription: Prescription, number: int) -> bytes | None:
    """Page ``number`` (1, 2, …) of the prescription's PDF as a PNG, about ``PREVIEW_WIDTH`` wide; None when there
    is no such page or the file cannot be read."""
    import io

    document = _open_pdf(prescription)
    if document is None:
        return None
    try:
        if not 1 <= number <= min(len(document), MAX_PREVIEW_PAGES):
            return None
        page = document[number - 1]
        width = page.get_width() or 1
        image = page.render(scale=min(3.0, PREVIEW_WIDTH / width)).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def _open_pdf(prescription: Prescription):
    import pypdfium2

    if not prescription.has_file or prescription.content_type != "application/pdf":
        return None
    try:
        with prescription.file.open("rb") as handle:
            return pypdfium2.PdfDocument(handle.read())
    except (FileNotFoundError, pypdfium2.PdfiumError):
        return None
