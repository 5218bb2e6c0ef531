"""A pharmacist's approval of a revision of a guide: the record behind its review stamp and prescription status."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from apothecary.core.records import WrittenOnce
from medicines.ingredients import ingredient_set
from medicines.models.choices import ControlledSchedule, LegalStatus

if TYPE_CHECKING:
    from medicines.models.guide import MedicinePage


class GuideApproval(WrittenOnce):
    """A pharmacist's approval of one revision of a guide: who, when, and the prescription status approved.

    The only source of a guide's review stamp and of a change to whether its products need a prescription.
    Written by ``medicines.services.approve_revision`` (the Guide review workflow's pharmacist step); a record,
    never edited.
    """

    page = models.ForeignKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="approvals")
    revision = models.OneToOneField(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="guide_approval"
    )
    pharmacist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices)
    controlled_schedule = models.CharField(max_length=3, choices=ControlledSchedule.choices, blank=True)
    active_ingredients = models.CharField(max_length=255)

    record_label = "A pharmacist's approval"

    class Meta:
        ordering = ["-approved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page} approved by {self.pharmacist} on {self.approved_at:%Y-%m-%d}"

    @property
    def prescription_identity(self) -> tuple[str, str, frozenset[str]]:
        return (self.legal_status, self.controlled_schedule, ingredient_set(self.active_ingredients))

    def stamp(self, page: MedicinePage) -> None:
        """Write this approval's review stamp on ``page`` (in memory: the publish saves it)."""
        page.reviewed_by_id = self.pharmacist_id
        page.last_reviewed = timezone.localdate(self.approved_at)
        page.next_review_due = page.last_reviewed + timedelta(days=settings.GUIDE_REVIEW_INTERVAL_DAYS)
