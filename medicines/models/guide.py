"""Medicine guides as structured data.

A guide (``MedicinePage``) is not a blob of HTML: its side effects, studies,
off-label uses, interactions and indications are rows (``medicines.models.rows``),
and every row that carries a figure points at one of the guide's numbered references.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from apothecary.core.roles import PHARMACISTS
from evidence.panels import AuditPanel
from medicines.ingredients import ingredient_keys, ingredient_set
from medicines.models.choices import ControlledSchedule, LegalStatus
from medicines.models.forms import MedicinePageForm
from medicines.models.rows import GuideReference

if TYPE_CHECKING:
    from medicines.models.classes import DrugClassPage


class CitedText(NamedTuple):
    """A guide's cited text field (e.g. storage) with its reference's number in the guide's list."""

    text: str
    ref_number: int | None


def _cited_field(verbose_name: str, help_text: str):
    return models.TextField(verbose_name, blank=True, help_text=help_text)


def _reference_field(what: str):
    return models.ForeignKey(
        "evidence.Reference",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=f"The source of the {what}: required when the text is given, and listed under References.",
    )


class MedicinePageQuerySet(PageQuerySet):
    def prescription_only(self):
        return self.filter(legal_status__in=[LegalStatus.PRESCRIPTION, LegalStatus.CONTROLLED])

    def in_class(self, drug_class):
        return self.filter(drug_class=drug_class)


class MedicinePageTag(TaggedItemBase):
    content_object = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="tagged_items")


class MedicinePage(Page):
    """One medicine's guide: what it is, how to take it, its risks and its evidence."""

    generic_name = models.CharField(max_length=120, help_text="The international non-proprietary name, e.g. baclofen.")
    brand_names = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated, with form or country where it matters: “Lioresal (UK)”."
    )
    active_ingredients = models.CharField(
        max_length=255, help_text="Comma-separated, e.g. “baclofen”. Used for allergy checks."
    )
    drug_class = models.ForeignKey("medicines.DrugClassPage", on_delete=models.PROTECT, related_name="medicines")
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices, default=LegalStatus.PRESCRIPTION)
    controlled_schedule = models.CharField(max_length=3, choices=ControlledSchedule.choices, blank=True)
    summary = models.TextField(help_text="Two or three plain sentences shown at the top and in listings.")
    how_it_works = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    how_to_take = RichTextField(features=["bold", "italic", "link", "ol", "ul", "h3"])
    boxed_warning = models.TextField(
        blank=True, help_text="The label's boxed warning, if it has one. Shown prominently at the top."
    )
    warnings = RichTextField("serious warnings and precautions", features=["bold", "italic", "link", "ol", "ul", "h3"])
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Years. Only when the label limits use by age (e.g. “in adults”: 18)."
    )
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Years, when the label says so.")
    age_limit_reference = models.ForeignKey(
        "evidence.Reference",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The source of the age limit.",
    )
    pregnancy = models.TextField("pregnancy", blank=True)
    breastfeeding = models.TextField("breastfeeding", blank=True)
    # Cited sections: each text with the source it comes from (``CITED_TEXT_FIELDS``); empty when the source is silent.
    usual_dose = _cited_field(
        "usual dose", "Key facts: how it is taken and the usual dose in one or two sentences, as the source says."
    )
    usual_dose_reference = _reference_field("usual dose")
    key_warning = _cited_field("most important warning", "Key facts: the one warning a reader must not miss.")
    key_warning_reference = _reference_field("most important warning")
    missed_dose = _cited_field("missed dose", "What to do after a missed dose, as the source says.")
    missed_dose_reference = _reference_field("missed-dose advice")
    overdose = _cited_field("overdose", "What to do after taking too much, as the source says.")
    overdose_reference = _reference_field("overdose advice")
    storage = _cited_field("storage", "How to store it, as the label says.")
    storage_reference = _reference_field("storage advice")
    # The review stamp: written only when a pharmacist approves the guide in the Guide review workflow
    # (``medicines.services.approve_revision``); no form has these fields and no revision carries them.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"groups__name": PHARMACISTS, "is_active": True},
        help_text="The pharmacist who last approved this guide in the Guide review workflow.",
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="The day of that approval.")
    next_review_due = models.DateField(
        null=True, blank=True, help_text="GUIDE_REVIEW_INTERVAL_DAYS after the last approval."
    )
    # The normalised active ingredients ("|baclofen|"), written on save: what the ingredient checks search.
    ingredient_keys = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    tags = ClusterTaggableManager(through=MedicinePageTag, blank=True)
    # Filled by ``manage.py import_openfda`` (imports/openfda/) from a U.S. drug label.
    label_set_id = models.CharField(
        "DailyMed set id",
        max_length=36,
        blank=True,
        help_text="The set id of the U.S. label this guide is imported from: importing that label again updates "
        "this guide (as a new draft revision).",
    )
    label_version = models.CharField(
        max_length=100, blank=True, help_text="The version of the label last imported, e.g. “version 3 of 2025-01-15”."
    )
    label_adverse_reactions = models.TextField(
        "adverse reactions (label text)",
        blank=True,
        help_text="The imported label's adverse reactions as it words them: write them up as side effects.",
    )
    label_interactions = models.TextField(
        "drug interactions (label text)",
        blank=True,
        help_text="The imported label's drug interactions as it words them: write them up as interactions.",
    )

    objects = PageManager.from_queryset(MedicinePageQuerySet)()
    base_form_class = MedicinePageForm

    search_fields = Page.search_fields + [
        index.SearchField("generic_name", boost=5),
        index.SearchField("brand_names", boost=4),
        index.SearchField("active_ingredients", boost=2),
        index.SearchField("summary", boost=2),
        index.SearchField("indication_text", boost=2),
        index.SearchField("how_it_works"),
        index.SearchField("warnings"),
        index.SearchField("tag_text"),
        index.AutocompleteField("generic_name"),
        index.AutocompleteField("brand_names"),
        index.FilterField("legal_status"),
        index.FilterField("drug_class"),
    ]

    content_panels = Page.content_panels + [
        AuditPanel(),
        MultiFieldPanel(
            [
                FieldPanel("generic_name"),
                FieldPanel("brand_names"),
                FieldPanel("active_ingredients"),
                FieldPanel("drug_class"),
                FieldRowPanel([FieldPanel("legal_status"), FieldPanel("controlled_schedule")]),
                FieldPanel("tags"),
            ],
            heading="Identity",
        ),
        FieldPanel("summary"),
        InlinePanel("indications", heading="Uses (indications)", label="Use"),
        MultiFieldPanel(
            [
                FieldPanel("usual_dose"),
                FieldPanel("usual_dose_reference"),
                FieldPanel("key_warning"),
                FieldPanel("key_warning_reference"),
            ],
            heading="Key facts (shown first, with the uses and the legal status)",
        ),
        FieldPanel("how_it_works"),
        FieldPanel("how_to_take"),
        MultiFieldPanel(
            [
                FieldPanel("missed_dose"),
                FieldPanel("missed_dose_reference"),
                FieldPanel("overdose"),
                FieldPanel("overdose_reference"),
                FieldPanel("storage"),
                FieldPanel("storage_reference"),
            ],
            heading="Missed dose, overdose and storage (each with its source; leave empty where the source is silent)",
        ),
        InlinePanel("contraindications", heading="Who should not take it", label="Who should not take it"),
        InlinePanel("urgent_signs", heading="Serious side effects: get help now", label="Serious side effect"),
        FieldPanel("boxed_warning"),
        FieldPanel("warnings"),
        MultiFieldPanel([FieldPanel("pregnancy"), FieldPanel("breastfeeding")], heading="Pregnancy and breastfeeding"),
    ]
    evidence_panels = [
        MultiFieldPanel(
            [
                FieldPanel("label_set_id"),
                FieldPanel("label_version", read_only=True),
                FieldPanel("label_adverse_reactions"),
                FieldPanel("label_interactions"),
            ],
            heading="Imported label",
        ),
        InlinePanel("side_effects", heading="Side effects", label="Side effect"),
        InlinePanel("interactions", heading="Interactions", label="Interaction"),
        InlinePanel(
            "class_memberships",
            heading="Screening classes (what interaction rows of other guides may name this medicine as)",
            label="Class",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]), FieldPanel("age_limit_reference")],
            heading="Age limit (screened against the patient's date of birth)",
        ),
        InlinePanel(
            "pharmacy_questions",
            heading="Pharmacy medicine: questions asked at checkout (beyond who it is for, age, medicines, conditions)",
            label="Question",
        ),
        InlinePanel("off_label_uses", heading="Off-label uses", label="Off-label use"),
        InlinePanel("studies", heading="Studies", label="Study"),
        InlinePanel("guide_references", heading="References", label="Reference", min_num=1),
    ]
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("reviewed_by", read_only=True),
                FieldRowPanel(
                    [FieldPanel("last_reviewed", read_only=True), FieldPanel("next_review_due", read_only=True)]
                ),
            ],
            heading="Medical review (written by a pharmacist's approval in Guide review)",
        ),
        InlinePanel("see_also_links", heading="See also (picked by an editor)", label="Link"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Guide"),
            ObjectList(evidence_panels, heading="Evidence"),
            ObjectList(review_panels, heading="Review and links"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    parent_page_types = ["medicines.MedicineIndexPage"]
    subpage_types: list[str] = []
    accepts_comments = True  # readers discuss it (``discussion``)

    # A copy is a new guide, not the imported label's, and no pharmacist has reviewed it yet.
    exclude_fields_in_copy = ["label_set_id", "label_version", "reviewed_by", "last_reviewed", "next_review_due"]
    # Fields that belong to the page, not to a revision: the review stamp.
    REVIEW_STAMP_FIELDS = ("reviewed_by_id", "last_reviewed", "next_review_due")
    # The cited text fields: (field, its reference field, where the audit and the errors name it).
    CITED_TEXT_FIELDS = (
        ("usual_dose", "usual_dose_reference", "Key facts: usual dose"),
        ("key_warning", "key_warning_reference", "Key facts: most important warning"),
        ("missed_dose", "missed_dose_reference", "Missed dose"),
        ("overdose", "overdose_reference", "Overdose"),
        ("storage", "storage_reference", "Storage"),
    )
    # The rows that cite a reference, and the fields besides CITED_TEXT_FIELDS' that name one.
    CITING_RELATIONS = (
        "indications",
        "side_effects",
        "interactions",
        "contraindications",
        "urgent_signs",
        "class_memberships",
        "off_label_uses",
        "studies",
    )
    CITING_FIELDS = tuple(reference for _, reference, _ in CITED_TEXT_FIELDS) + ("age_limit_reference",)
    # What decides whether the guide's products need a prescription.
    PRESCRIPTION_STATUS_FIELDS = ("legal_status", "controlled_schedule", "active_ingredients")

    @property
    def published_class(self) -> DrugClassPage | None:
        """The guide's drug class when the public may see it; None while the class is a draft (e.g. imported)."""
        return self.drug_class if self.drug_class.live else None

    class Meta:
        verbose_name = "medicine guide"
        constraints = [
            models.UniqueConstraint(
                fields=["label_set_id"], condition=~models.Q(label_set_id=""), name="unique_guide_label_set_id"
            )
        ]

    def clean(self) -> None:
        """Rules:

        - a controlled medicine names its schedule, and only a controlled one does;
        - the next review is due after the last review;
        - a cited text (usual dose, key warning, missed dose, overdose, storage) names its source, and a source is
          chosen only for a text.
        """
        super().clean()
        errors = {}
        if self.legal_status == LegalStatus.CONTROLLED and not self.controlled_schedule:
            errors["controlled_schedule"] = "A controlled medicine needs its schedule."
        if self.legal_status != LegalStatus.CONTROLLED and self.controlled_schedule:
            errors["controlled_schedule"] = "Only a controlled medicine has a schedule; clear it or change the status."
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            errors["next_review_due"] = "The next review must fall after the last one."
        for name, reference_name, label in self.CITED_TEXT_FIELDS:
            has_text = bool((getattr(self, name) or "").strip())
            has_reference = getattr(self, f"{reference_name}_id") is not None
            if has_text and not has_reference:
                errors[reference_name] = f"Choose the source of the {label.lower()} text."
            elif has_reference and not has_text:
                errors[name] = f"Write the {label.lower()} text, or clear its source."
        if errors:
            raise ValidationError(errors)

    # -- derived values -------------------------------------------------------

    @property
    def requires_prescription(self) -> bool:
        return self.legal_status in (LegalStatus.PRESCRIPTION, LegalStatus.CONTROLLED)

    @property
    def is_pharmacy_medicine(self) -> bool:
        """A pharmacy medicine (P): sold without a prescription, only after a pharmacist approves the order."""
        return self.legal_status == LegalStatus.PHARMACY

    @property
    def ingredients(self) -> frozenset[str]:
        return ingredient_set(self.active_ingredients)

    @property
    def prescription_identity(self) -> tuple[str, str, frozenset[str]]:
        """What decides whether this guide's products need a prescription: its legal status, its schedule and
        its active ingredients. Changes only through a pharmacist's approval (``medicines.services``)."""
        return (self.legal_status, self.controlled_schedule, ingredient_set(self.active_ingredients))

    # -- saving: the pharmacist's decisions hold on every path --------------

    def with_content_json(self, content):
        """A revision never carries the review stamp: the page keeps its own (see ``save``)."""
        page = super().with_content_json(content)
        for name in self.REVIEW_STAMP_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    def save(self, *args, **kwargs):
        """Save, holding two rules whatever path saves (the edit screen, the workflow, bulk or scheduled publish,
        the admin's API, a copy, a script):

        - a live guide's prescription status (legal status, schedule, active ingredients) is the one a
          pharmacist approved: a save that would put another one live without a pharmacist's approval of the
          live revision raises ``PrescriptionStatusLocked`` (``medicines.services.check_live_status``);
        - the review stamp is never typed: it is the one stored, or the approval of the live revision.
        """
        from medicines import services

        update_fields = kwargs.get("update_fields")

        def writes(names) -> bool:
            return update_fields is None or bool(set(update_fields) & set(names))

        if self.live and writes(self.PRESCRIPTION_STATUS_FIELDS + ("live", "live_revision")):
            services.check_live_status(self)
        if writes(name.removesuffix("_id") for name in self.REVIEW_STAMP_FIELDS):
            services.keep_review_stamp(self)
        self.ingredient_keys = ingredient_keys(self.active_ingredients)
        if update_fields is not None and "active_ingredients" in update_fields:
            kwargs["update_fields"] = {*update_fields, "ingredient_keys"}
        super().save(*args, **kwargs)

    @property
    def legal_status_label(self) -> str:
        label = self.get_legal_status_display()
        if self.legal_status == LegalStatus.CONTROLLED and self.controlled_schedule:
            label = f"Controlled, {self.get_controlled_schedule_display()} (prescription only)"
        return label

    @property
    def brand_name_list(self) -> list[str]:
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]

    @property
    def ingredient_list(self) -> list[str]:
        return [name.strip() for name in self.active_ingredients.split(",") if name.strip()]

    def indication_text(self) -> str:
        return " ".join(f"{row.condition} {row.detail}" for row in self.indications.all())

    def tag_text(self) -> str:
        return " ".join(tag.name for tag in self.tags.all())

    @property
    def review_overdue(self) -> bool:
        return bool(self.next_review_due and self.next_review_due < date.today())

    @cached_property
    def numbered_references(self) -> list[GuideReference]:
        """The guide's references in order, each with ``number`` set (1, 2, 3…)."""
        return GuideReference.numbered(self.guide_references)

    def cited_reference_ids(self) -> list[int]:
        """The references the guide's cited text fields and rows cite, in the order of the edit form."""
        ids = [getattr(self, f"{name}_id") for name in self.CITING_FIELDS]
        for relation in self.CITING_RELATIONS:
            ids += [row.reference_id for row in getattr(self, relation).all()]
        return ids

    def list_cited_references(self) -> list[int]:
        """Adds each cited reference that the reference list lacks at the end of the list, so a source chosen once
        (in a row, or created in the chooser there) is both cited and listed. Returns the ids added."""
        return GuideReference.list_missing(self.guide_references, self.cited_reference_ids())

    @cached_property
    def reference_numbers(self) -> dict[int, int]:
        """Each reference's number in the guide's list, by reference id (worked out once per guide object)."""
        return {row.reference_id: row.number for row in self.numbered_references}

    def cited_rows(self, relation: str) -> list:
        """The rows of ``relation`` (one query) with ``ref_number`` set to their reference's number."""
        rows = list(getattr(self, relation).all())
        for row in rows:
            row.ref_number = self.reference_numbers.get(row.reference_id)
        return rows

    def cited_texts(self) -> dict[str, CitedText]:
        """The cited text fields that have a text, by name, each with its reference's number."""
        return {
            name: CitedText(getattr(self, name), self.reference_numbers.get(getattr(self, f"{reference_name}_id")))
            for name, reference_name, _ in self.CITED_TEXT_FIELDS
            if (getattr(self, name) or "").strip()
        }

    def audit_content(self):
        """What the content audit (``evidence.audit``) checks (``medicines.models.audit``)."""
        from medicines.models.audit import guide_content

        return guide_content(self)

    # The guide's row tables, each shown in the template under its relation's name.
    CITED_ROW_RELATIONS = (
        "indications",
        "side_effects",
        "interactions",
        "off_label_uses",
        "studies",
        "contraindications",
        "urgent_signs",
    )

    def get_context(self, request, *args, **kwargs):
        """The rows, references and tags, each read when the template first uses it: a guide body kept by the
        fragment cache (apothecary/core/fragments.py) reads none of them."""
        context = super().get_context(request, *args, **kwargs)
        context.update(
            {relation: SimpleLazyObject(partial(self.cited_rows, relation)) for relation in self.CITED_ROW_RELATIONS},
            cited=SimpleLazyObject(self.cited_texts),
            references=SimpleLazyObject(lambda: self.numbered_references),
            tags=SimpleLazyObject(lambda: list(self.tags.all())),
            breadcrumbs=SimpleLazyObject(self.breadcrumbs),
        )
        return context

    def breadcrumbs(self) -> list[tuple[str, str]]:
        """The trail above the guide: its drug class, when the public may see it."""
        return [(self.published_class.title, self.published_class.url)] if self.published_class else []
