"""What clinical screening reads from the guides: the classes a medicine belongs to (CNS depressants, serotonergic
medicines, …), and the questions a pharmacy medicine asks at checkout.

An interaction row may name a class (``Interaction.screening_class``); a guide says which classes its medicine
belongs to (``ClassMembership``, each citing its source). Screening (``orders.services.safety``) matches a row
naming a class against every medicine of the class.
"""

from __future__ import annotations

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from medicines.models.rows import CitedRow


class ScreeningClass(index.Indexed, models.Model):
    """A class of medicines that interaction rows name and screening matches: "CNS depressants"."""

    name = models.CharField(max_length=100, unique=True, help_text="Plural, as a label says it: “CNS depressants”.")
    other_names = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other ways rows and patients write it, comma-separated: “central nervous system depressants”.",
    )
    description = models.TextField(blank=True, help_text="For pharmacists: what the class's members share.")

    panels = [FieldPanel("name"), FieldPanel("other_names"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("other_names")]

    class Meta:
        ordering = ["name"]
        verbose_name = "screening class"
        verbose_name_plural = "screening classes"

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        """Every name of the class, lower case: its name and its other names."""
        return [name.strip().lower() for name in [self.name, *self.other_names.split(",")] if name.strip()]


class ClassMembership(CitedRow):
    """The guide's medicine belongs to a screening class, as its source says."""

    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="class_memberships")
    screening_class = models.ForeignKey(ScreeningClass, on_delete=models.PROTECT, related_name="memberships")
    note = models.CharField(max_length=255, blank=True, help_text="What the source says, e.g. “causes CNS depression”.")

    panels = [FieldPanel("screening_class"), FieldPanel("note"), FieldPanel("reference")]

    class Meta(CitedRow.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "screening_class"], name="unique_class_membership")]


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Short answer"


class PharmacyQuestion(Orderable):
    """A question a pharmacy medicine (P) asks at checkout, beyond the standard ones (who it is for, age, other
    medicines, conditions); the pharmacist reads the answers before approving."""

    page = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="pharmacy_questions")
    question = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.YES_NO)
    help_text = models.CharField(max_length=255, blank=True)

    panels = [FieldPanel("question"), FieldPanel("kind"), FieldPanel("help_text")]

    def __str__(self) -> str:
        return self.question
