"""The fixed vocabularies of a guide: legal status, schedule, frequency bands, severities, evidence strength."""

from __future__ import annotations

from decimal import Decimal

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


# The bands' lower limits, in percent, most frequent first: very common is more than 10%, common 1–10%,
# uncommon 0.1–1% (below 1), rare below 0.1%.
BAND_FLOORS = (
    ("very_common", Decimal("10"), False),  # (band, limit, whether the limit itself belongs to the band)
    ("common", Decimal("1"), True),
    ("uncommon", Decimal("0.1"), True),
)
BAND_SHORT_NAMES = {
    "very_common": "very common",
    "common": "common",
    "uncommon": "uncommon",
    "rare": "rare",
    "not_known": "not known",
}


def band_for_percent(percent: Decimal) -> str:
    """The frequency band a percentage falls in: more than 10% is very common, 1–10% common, 0.1% to below 1%
    uncommon, below 0.1% rare."""
    for band, limit, inclusive in BAND_FLOORS:
        if percent > limit or (inclusive and percent == limit):
            return band
    return FrequencyBand.RARE


def band_for_range(low: Decimal | None, high: Decimal | None) -> str | None:
    """The band a side effect's percentage range gives: the band of its upper figure (a range that spans bands,
    such as 1–11%, takes the band of its highest figure, as labels do); None when there is no figure."""
    upper = high if high is not None else low
    return None if upper is None else band_for_percent(upper)


def bands_spanned(low: Decimal | None, high: Decimal | None) -> list[str]:
    """The bands a percentage range reaches, most frequent first: 1–11% spans very common and common. A lower
    figure of 0 (not seen in some study) adds no band."""
    upper = band_for_range(low, high)
    if upper is None:
        return []
    if low is None or high is None or low == 0:
        return [upper]
    order = [band for band, _, _ in BAND_FLOORS] + [FrequencyBand.RARE]
    lower = band_for_percent(low)
    return order[order.index(upper) : order.index(lower) + 1]


def band_disagreement(band: str, low: Decimal | None, high: Decimal | None) -> str:
    """Why ``band`` disagrees with the range ``low``–``high`` ("" when it agrees): with figures, the band must be
    the one of the upper figure (``band_for_range``); without figures any band may stand."""
    expected = band_for_range(low, high)
    if expected is None or band == expected or band not in FrequencyBand.values:
        return ""
    upper = high if high is not None else low
    return (
        f"“{FrequencyBand(band).label}” disagrees with the figures: the highest, {upper.normalize():f}%, is "
        f"“{FrequencyBand(expected).label}”."
    )


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
