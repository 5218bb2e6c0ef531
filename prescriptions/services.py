"""Prescription rules: what may be uploaded, who may decide, what a pharmacist confirms before approving, how long
an approved prescription is valid, and the record of each decision."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apothecary.core.roles import is_pharmacist
from prescriptions.models import (
    DecisionKind,
    Prescription,
    PrescriptionDecision,
    PrescriptionFile,
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
def submit_prescription(
    patient, *, upload=None, prescriber_name="", prescriber_contact="", more_uploads=()
) -> Prescription:
    """Keep an uploaded prescription (checked by its bytes) or the prescriber's details; ``more_uploads``: its
    further files (pages), each checked the same way, at most ``PRESCRIPTION_MAX_FILES`` in all."""
    more_uploads = list(more_uploads)
    if upload is None and more_uploads:
        upload, *more_uploads = more_uploads
    if upload is None and not prescriber_name.strip():
        raise ValidationError("Upload the prescription, or tell us who prescribed it so we can contact them.")
    if upload is not None and 1 + len(more_uploads) > settings.PRESCRIPTION_MAX_FILES:
        raise ValidationError(
            f"Upload at most {settings.PRESCRIPTION_MAX_FILES} files for one prescription.", code="too_many"
        )
    prescription = Prescription(
        patient=patient, prescriber_name=prescriber_name.strip(), prescriber_contact=prescriber_contact.strip()
    )
    types = [validate_upload(extra) for extra in more_uploads]  # every file checked before any is kept
    if upload is not None:
        prescription.content_type = validate_upload(upload)
        prescription.original_filename = upload.name[:255]
        prescription.file.save(upload.name, upload, save=False)
    prescription.save()
    # The files written to storage, for a caller whose transaction is rolled back to delete them.
    prescription.stored_files = [prescription.file] if upload is not None else []
    for extra, content_type in zip(more_uploads, types, strict=True):
        kept = PrescriptionFile(
            prescription=prescription, content_type=content_type, original_filename=extra.name[:255]
        )
        kept.file.save(extra.name, extra, save=True)
        prescription.stored_files.append(kept.file)
    return prescription


# What a pharmacist checks on the prescription before approving, in the order they check it: (name, label, help).
CHECKLIST = [
    ("checked_patient", "Patient", "The prescription names this patient (name and date of birth match)."),
    ("checked_prescriber", "Prescriber", "It is signed by a prescriber whose details are legible and can be verified."),
    ("checked_medicine", "Medicine", "It prescribes the medicine in each line you approve."),
    ("checked_strength", "Strength and form", "The strength and form match the product ordered."),
    ("checked_quantity", "Quantity", "The quantity prescribed covers the quantity ordered."),
    ("checked_date", "Date", "It is dated, not in the future, and still valid."),
]
CHECK_NAMES = [name for name, _label, _help in CHECKLIST]


class ChecklistIncomplete(ValidationError):
    """An approval without every point of the checklist confirmed."""


def confirmed_checks(checks: Collection[str]) -> list[str]:
    """The labels of the checklist's points named in ``checks``, in the checklist's order."""
    return [label for name, label, _help in CHECKLIST if name in checks]


def require_checklist(checks: Collection[str], checklist=CHECKLIST, subject: str = "A prescription") -> None:
    """Refuse (``ChecklistIncomplete``, naming what is missing) unless every point of ``checklist`` (``CHECKLIST``,
    or another of the same shape: (name, label, help)) is confirmed."""
    missing = [label.lower() for name, label, _help in checklist if name not in checks]
    if missing:
        raise ChecklistIncomplete(
            f"{subject} is approved only once every point of its checklist is confirmed; not confirmed: "
            + ", ".join(missing)
            + "."
        )


def valid_days(*, controlled: bool = False) -> int:
    """For how many days from the date written on it a prescription may be dispensed against."""
    return settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS if controlled else settings.PRESCRIPTION_VALID_DAYS


def latest_valid_until(issued_on: date, *, controlled: bool = False) -> date:
    """The last day a prescription dated ``issued_on`` is valid: validity runs from the prescription's own date
    (``PRESCRIPTION_VALID_DAYS``, ``CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS`` for a controlled medicine)."""
    return issued_on + timedelta(days=valid_days(controlled=controlled))


def require_prescriber(name: str, registration: str) -> None:
    """An approved prescription names its prescriber and the prescriber's registration number."""
    missing = [label for label, value in (("name", name), ("registration number", registration)) if not value.strip()]
    if missing:
        raise ValidationError(
            "Record the prescriber's " + " and ".join(missing) + " (as on the prescription) before approving it."
        )


def check_repeat(issues_allowed: int, interval_days: int | None) -> None:
    """A prescription is dispensed at least once; a repeat (more than one issue) says how many days apart."""
    if issues_allowed is None or issues_allowed < 1:
        raise ValidationError("A prescription allows at least one issue.")
    if issues_allowed > 1 and not interval_days:
        raise ValidationError("A repeat prescription needs the interval (in days) between two issues.")
    if interval_days is not None and interval_days < 1:
        raise ValidationError("The interval between two issues is at least one day.")


@dataclass(frozen=True)
class DecisionFields:
    """What the pharmacist writes with a decision, the keyword arguments of ``record_decision`` and of orders'
    ``review_order``: a rejection's ``reason`` for the patient, the ``override_reason`` for approving despite a
    severe warning, the date written on the prescription (``issued_on``), the points of ``CHECKLIST`` confirmed
    (``checks``), the prescriber as on the prescription (empty: as recorded on it already) and, for a repeat
    prescription, the issues it allows and the days between two of them."""

    reason: str = ""
    override_reason: str = ""
    issued_on: date | None = None
    checks: Collection[str] = ()
    prescriber_name: str = ""
    prescriber_registration: str = ""
    prescriber_contact: str = ""
    issues_allowed: int = 1
    interval_days: int | None = None


@transaction.atomic
def record_decision(
    prescription: Prescription,
    pharmacist,
    *,
    approved_items: list[tuple],
    details: dict | None = None,
    **fields,
) -> tuple[PrescriptionDecision, list[PrescriptionItem]]:
    """A pharmacist's decision: verified items (product, units, valid until and, optionally, the directions as the
    prescriber wrote them) or none (a rejection), with what the pharmacist wrote (``DecisionFields``).

    Logged once and never editable. A rejection needs a reason the patient will see; an approval needs every
    point of ``CHECKLIST`` named in ``checks``, the prescriber's name and registration number (given here or
    already on the prescription; saved on it) and, for a repeat, its interval. Returns the decision and the items
    it verified, in the order given.
    """
    written = DecisionFields(**fields)
    require_pharmacist(pharmacist)
    if not approved_items and not written.reason.strip():
        raise ValidationError("Give the patient a reason for the rejection.")
    for field in ("prescriber_name", "prescriber_registration", "prescriber_contact"):
        value = getattr(written, field).strip()
        if value:
            setattr(prescription, field, value)
    if approved_items:
        require_checklist(written.checks)
        require_prescriber(prescription.prescriber_name, prescription.prescriber_registration)
        check_repeat(written.issues_allowed, written.interval_days)
    if written.issued_on is not None:
        prescription.issued_on = written.issued_on
    items = [
        PrescriptionItem.objects.create(
            prescription=prescription,
            product=item[0],
            units=item[1],
            valid_until=item[2],
            directions=(item[3] if len(item) > 3 else "").strip(),
            issues_allowed=written.issues_allowed,
            interval_days=written.interval_days if written.issues_allowed > 1 else None,
            approved_by=pharmacist,
        )
        for item in approved_items
    ]
    if not approved_items:
        kind = DecisionKind.REJECTED
        prescription.status = PrescriptionStatus.REJECTED
        prescription.rejection_reason = written.reason.strip()
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
        reason=written.reason.strip(),
        override_reason=written.override_reason.strip(),
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
