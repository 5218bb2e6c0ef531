"""The fixed vocabularies of a guide: legal status, schedule, frequency bands, severities, evidence strength."""

from __future__ import annotations

from django.db import models


class LegalStatus(models.TextChoices):
    GENERAL_SALE = "otc", "Over the counter"
    PHARMACY = "pharmacy", "Pharmacy medicine"
    PRESCRIPTION = "prescription", "Prescription only"
    CONTROLLED = "controlled", "Controlled (prescription only)"


class ControlledSchedule(models.TextChoices):
    SCHEDULE_II = "II", "Schedule II"
    SCHEDULE_III = "III", "Schedule III"
    SCHEDULE_IV = "IV", "Schedule IV"
    SCHEDULE_V = "V", "Schedule V"


class FrequencyBand(models.TextChoices):
    """The bands used on labels and patient leaflets."""

    VERY_COMMON = "very_common", "Very common (more than 1 in 10)"
    COMMON = "common", "Common (up to 1 in 10)"
    UNCOMMON = "uncommon", "Uncommon (up to 1 in 100)"
    RARE = "rare", "Rare (up to 1 in 1,000)"
    NOT_KNOWN = "not_known", "Not known (frequency not given by the source)"


class InteractionSeverity(models.TextChoices):
    CONTRAINDICATED = "contraindicated", "Contraindicated: do not combine"
    MAJOR = "major", "Major: avoid or monitor closely"
    MODERATE = "moderate", "Moderate: use with caution"
    MINOR = "minor", "Minor"


class EvidenceStrength(models.TextChoices):
    """GRADE certainty of the evidence behind an off-label use."""

    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"
