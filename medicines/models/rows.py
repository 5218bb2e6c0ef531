"""A guide's structured rows: uses, side effects, interactions, off-label uses and studies, each citing one of
the guide's references; its numbered reference list; and the editor's "see also" picks."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from evidence.models import ReferenceListEntry
from medicines.models.choices import (
    BAND_SHORT_NAMES,
    EvidenceStrength,
    FrequencyBand,
    InteractionSeverity,
    band_disagreement,
    bands_spanned,
)

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class CitedRow(Orderable):
    """A row of a guide's structured data that cites one of its references."""

    reference = models.ForeignKey("evidence.Reference", on_delete=models.PROTECT, related_name="+")

    class Meta(Orderable.Meta):
        abstract = True


class Indication(CitedRow):
    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="indications")
    condition = models.CharField(max_length=200, help_text="e.g. “Spasticity from multiple sclerosis”.")
    detail = models.TextField(blank=True)
    reference = models.ForeignKey(
        "evidence.Reference", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    panels = [FieldPanel("condition"), FieldPanel("detail"), FieldPanel("reference")]


class SideEffect(CitedRow):
    """A side effect with its frequency band and the percentage range its source gives.

    Rules (``clean``): percentages lie in 0–100, the low end is not above the high end, and the band agrees with
    the figures (the band of the upper figure: ``medicines.models.choices.band_disagreement``).
    """

    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="side_effects")
    effect = models.CharField(max_length=120)
    frequency = models.CharField(max_length=20, choices=FrequencyBand.choices)
    percent_low = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    percent_high = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    note = models.CharField(max_length=255, blank=True, help_text="e.g. “63% vs 36% on placebo in one study”.")

    panels = [
        FieldPanel("effect"),
        FieldPanel("frequency"),
        FieldRowPanel([FieldPanel("percent_low"), FieldPanel("percent_high")]),
        FieldPanel("note"),
        FieldPanel("reference"),
    ]

    def clean(self) -> None:
        super().clean()
        if self.percent_low is not None and self.percent_high is not None and self.percent_low > self.percent_high:
            raise ValidationError({"percent_high": "The upper percentage must not be below the lower one."})
        disagreement = band_disagreement(self.frequency, self.percent_low, self.percent_high)
        if disagreement:
            raise ValidationError({"frequency": disagreement})

    @property
    def frequency_display(self) -> str:
        """How often, as the figures say it: the band, or for a range that spans bands both ends ("Common to very
        common" for 1–11%: the percentages stand beside it)."""
        spanned = bands_spanned(self.percent_low, self.percent_high)
        if len(spanned) < 2:
            return self.get_frequency_display()
        return f"{BAND_SHORT_NAMES[spanned[-1]].capitalize()} to {BAND_SHORT_NAMES[spanned[0]]}"

    @property
    def percent_range(self) -> str:
        def fmt(value: Decimal) -> str:
            return f"{value.normalize():f}"

        if self.percent_low is None and self.percent_high is None:
            return ""
        if self.percent_low is None or self.percent_low == self.percent_high:
            return f"{fmt(self.percent_high if self.percent_high is not None else self.percent_low)}%"
        if self.percent_high is None:
            return f"{fmt(self.percent_low)}%"
        return f"{fmt(self.percent_low)}–{fmt(self.percent_high)}%"


class Interaction(CitedRow):
    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="interactions")
    substance = models.CharField(max_length=200, help_text="A medicine, a class of medicines, or e.g. alcohol.")
    screening_class = models.ForeignKey(
        "medicines.ScreeningClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions",
        help_text="When the row names a class of medicines: screening then matches every medicine of the class.",
    )
    severity = models.CharField(max_length=20, choices=InteractionSeverity.choices)
    effect = models.TextField(help_text="What happens and what to do.")

    panels = [
        FieldPanel("substance"),
        FieldPanel("screening_class"),
        FieldPanel("severity"),
        FieldPanel("effect"),
        FieldPanel("reference"),
    ]

    @property
    def is_severe(self) -> bool:
        return self.severity in (InteractionSeverity.CONTRAINDICATED, InteractionSeverity.MAJOR)


class OffLabelUse(CitedRow):
    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="off_label_uses")
    condition = models.CharField(max_length=200)
    evidence_strength = models.CharField(max_length=20, choices=EvidenceStrength.choices)
    summary = models.TextField(help_text="What the source found, with its figures.")

    panels = [FieldPanel("condition"), FieldPanel("evidence_strength"), FieldPanel("summary"), FieldPanel("reference")]


class Study(CitedRow):
    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="studies")
    citation = models.CharField(max_length=200, help_text="Authors and year, e.g. “Chou et al. 2004”.")
    participants = models.PositiveIntegerField(null=True, blank=True)
    design = models.CharField(max_length=200, help_text="e.g. “Systematic review of 101 trials”.")
    finding = models.TextField()

    panels = [
        FieldPanel("citation"),
        FieldPanel("participants"),
        FieldPanel("design"),
        FieldPanel("finding"),
        FieldPanel("reference"),
    ]

    class Meta(CitedRow.Meta):
        verbose_name_plural = "studies"


class Contraindication(CitedRow):
    """Who should not take the medicine, as its source says: a contraindication, or a use the label rules out."""

    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="contraindications")
    who = models.CharField(
        max_length=255,
        help_text="As the source says it: “people who take an MAO inhibitor, or took one in the last 14 days”.",
    )
    detail = models.TextField(blank=True, help_text="Why, or what to do instead, when the source says.")

    panels = [FieldPanel("who"), FieldPanel("detail"), FieldPanel("reference")]

    class Meta(CitedRow.Meta):
        verbose_name = "who should not take it"
        verbose_name_plural = "who should not take it"


class UrgentSign(CitedRow):
    """A serious side effect that needs help now: the signs, and what the source says to do."""

    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="urgent_signs")
    signs = models.CharField(
        max_length=255, help_text="What the reader notices: “hives, facial swelling, wheezing, shock, rash, blisters”."
    )
    action = models.CharField(
        max_length=255, help_text="What to do, as the source says: “stop use and seek medical help right away”."
    )

    panels = [FieldPanel("signs"), FieldPanel("action"), FieldPanel("reference")]

    class Meta(CitedRow.Meta):
        verbose_name = "serious side effect: get help now"
        verbose_name_plural = "serious side effects: get help now"


class GuideReference(ReferenceListEntry):
    """A guide's numbered reference list: the order here gives the numbers."""

    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="guide_references")

    class Meta(ReferenceListEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "reference"], name="unique_guide_reference")]


class SeeAlsoLink(Orderable):
    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="see_also_links")
    linked_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("linked_page")]
