"""A patient's prescriptions (and their files) in their data download; kept, detached from the login, when the
account is deleted."""

from __future__ import annotations

from accounts.personal_data import Export
from prescriptions.models import Prescription


def export(user) -> Export:
    prescriptions = Prescription.objects.for_patient(user).prefetch_related("decisions", "items__product")
    files = [
        (f"prescriptions/{prescription.pk}-{number}-{kept.original_filename or 'file'}", kept.file.open)
        for prescription in prescriptions
        for number, kept in enumerate(prescription.all_files, start=1)
    ]
    data = [
        {
            "submitted": prescription.created_at,
            "status": prescription.get_status_display(),
            "prescriber": prescription.prescriber_name,
            "prescriber_contact": prescription.prescriber_contact,
            "date_written": prescription.issued_on,
            "file": prescription.original_filename,
            "reason_given": prescription.rejection_reason,
            "verified_items": [
                {"product": str(item.product), "units": item.units, "valid_until": item.valid_until}
                for item in prescription.items.all()
            ],
            "decisions": [
                {"decision": decision.get_decision_display(), "when": decision.created_at, "reason": decision.reason}
                for decision in prescription.decisions.all()
            ],
        }
        for prescription in prescriptions
    ]
    return Export(data, files)


def erase(user, retained_until) -> str:
    """Prescriptions, their files and the pharmacists' decisions are pharmacy records: kept, with the patient's name
    and date of birth on them (whose prescription it was), no longer linked to a login, retained until
    ``retained_until``."""
    prescriptions = Prescription.objects.for_patient(user)
    count = prescriptions.count()
    prescriptions.update(
        patient=None,
        patient_name=user.get_full_name() or user.email,
        patient_date_of_birth=user.date_of_birth,
        retained_until=retained_until,
    )
    return f"{count} prescription(s) kept as pharmacy records until {retained_until:%d %b %Y}" if count else ""
