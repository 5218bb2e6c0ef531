"""Prescriptions: the patient's document, what a pharmacist verified on it, and every decision.

A prescription is uploaded (PDF, JPEG or PNG, kept in private storage) or
replaced by the prescriber's details for the pharmacy to contact. A pharmacist
verifies it into items (product, quantity, valid until); an order line points
at the item that covers it. Decisions are logged and can never be edited.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

from apothecary.core.records import ImmutableRecordError, WrittenOnce


def private_storage():
    """Prescription files live in their own storage, never under MEDIA_URL (see STORAGES["prescriptions"])."""
    return storages["prescriptions"]


def prescription_upload_to(instance, filename: str) -> str:
    # The patient's file name is kept in ``original_filename``; the stored name reveals nothing.
    from uuid import uuid4

    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    return f"{timezone.now():%Y/%m}/{uuid4().hex}.{extension}"


class PrescriptionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a pharmacist"
    APPROVED = "approved", "Approved"
    PARTLY_APPROVED = "partly_approved", "Partly approved"
    REJECTED = "rejected", "Rejected"


class PrescriptionQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=PrescriptionStatus.SUBMITTED)

    def for_patient(self, user):
        return self.filter(patient=user)


class Prescription(models.Model):
    """A patient's prescription: an uploaded file, or a prescriber for the pharmacy to contact.

    Rules (``clean``): a file or a prescriber's name, at least one.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="prescriptions",
        help_text="Empty once the patient deleted their account: the prescription is then a retained record.",
    )
    # Kept when the patient's account is deleted: a retained prescription still says whose it was.
    patient_name = models.CharField(max_length=300, blank=True, editable=False)
    patient_date_of_birth = models.DateField(null=True, blank=True, editable=False)
    retained_until = models.DateField(null=True, blank=True, editable=False)
    file = models.FileField(storage=private_storage, upload_to=prescription_upload_to, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    prescriber_name = models.CharField(max_length=120, blank=True)
    prescriber_registration = models.CharField(
        "prescriber's registration number",
        max_length=40,
        blank=True,
        help_text="As on the prescription (e.g. GMC, GPhC, NPI or DEA number); recorded by the pharmacist.",
    )
    prescriber_contact = models.CharField(
        max_length=200, blank=True, help_text="Practice, phone or e-mail, so the pharmacy can ask for the prescription."
    )
    issued_on = models.DateField(null=True, blank=True, help_text="The date written on the prescription.")
    status = models.CharField(max_length=20, choices=PrescriptionStatus.choices, default=PrescriptionStatus.SUBMITTED)
    rejection_reason = models.TextField(blank=True, help_text="Shown to the patient.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(prescriber_name=""), name="prescription_has_file_or_prescriber"
            )
        ]

    def __str__(self) -> str:
        return f"Prescription {self.pk} for {self.patient or self.patient_name or 'a former customer'}"

    @property
    def patient_label(self) -> str:
        """Whose prescription: the patient, or for a retained record the name kept on it and why it is kept."""
        if self.patient_id:
            return str(self.patient)
        until = f" until {self.retained_until:%d %b %Y}" if self.retained_until else ""
        return f"{self.patient_name or 'A former customer'} (account deleted; kept as a pharmacy record{until})"

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def all_files(self) -> list:
        """Every file of the prescription, the first upload first: this one's own ``file`` (as a ``PrescriptionFile``
        not saved, with no pk) and then its ``extra_files``."""
        first = (
            [PrescriptionFile(prescription=self, file=self.file, original_filename=self.original_filename,
                              content_type=self.content_type)]
            if self.has_file
            else []
        )  # fmt: skip
        return [*first, *self.extra_files.all()]


class PrescriptionFile(models.Model):
    """A further file of a prescription (a second page, the back of it): the first is ``Prescription.file``. Kept
    in the same private storage, served only through the same permission-checked view."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="extra_files")
    file = models.FileField(storage=private_storage, upload_to=prescription_upload_to)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"File {self.original_filename or self.pk} of {self.prescription}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def url(self) -> str:
        """The permission-checked address of this file."""
        from django.urls import reverse

        if self.pk is None:
            return reverse("prescriptions:file", args=[self.prescription_id])
        return reverse("prescriptions:extra_file", args=[self.prescription_id, self.pk])


class PrescriptionItem(models.Model):
    """What a pharmacist verified on a prescription: a product, how many units, until when."""

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="items")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="+")
    units = models.PositiveIntegerField(help_text="Tablets, capsules, packets or mL the prescription covers.")
    valid_until = models.DateField()
    directions = models.CharField(max_length=255, blank=True, help_text="As the prescriber wrote them.")
    issues_allowed = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many times it may be dispensed: 1 for a one-off, more for a repeat prescription. Each issue "
        "is up to ``units``.",
    )
    interval_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a repeat: the fewest days between two issues."
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(units__gt=0), name="prescription_item_units"),
            models.CheckConstraint(condition=models.Q(issues_allowed__gt=0), name="prescription_item_issues"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.units} until {self.valid_until:%Y-%m-%d}"

    def covers(self, product, units: int, on: date | None = None) -> bool:
        """True when this verified item allows dispensing ``units`` of ``product`` on ``on`` (today)."""
        on = on or timezone.localdate()
        return (
            self.prescription.status in (PrescriptionStatus.APPROVED, PrescriptionStatus.PARTLY_APPROVED)
            and self.product_id == product.pk
            and units <= self.units
            and on <= self.valid_until
        )


class DecisionKind(models.TextChoices):
    APPROVED = "approved", "Approved"
    PARTLY_APPROVED = "partly_approved", "Partly approved"
    REJECTED = "rejected", "Rejected"


class DecisionQuerySet(models.QuerySet):
    """Decisions are records: no bulk change or delete either."""

    def update(self, **kwargs):
        raise ImmutableRecordError("Pharmacists' decisions are records: they cannot be changed.")

    def delete(self):
        raise ImmutableRecordError("Pharmacists' decisions are records: they cannot be deleted.")


class PrescriptionDecision(WrittenOnce):
    """One pharmacist's decision on a prescription: who, when, what and why. Written once, never changed."""

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="decisions")
    pharmacist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=DecisionKind.choices)
    reason = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True, help_text="Why the pharmacist approved despite a severe interaction or an allergy warning."
    )
    details = models.JSONField(default=dict, help_text="What was checked and approved, line by line.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()
    record_label = "A pharmacist's decision"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.pharmacist} on {self.created_at:%Y-%m-%d %H:%M}"

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("A pharmacist's decision is a record: it cannot be deleted.")
