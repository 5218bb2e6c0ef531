"""Medicine guides as structured data, and the drug classes that group them.

A guide (``MedicinePage``) is not a blob of HTML: its side effects, studies,
off-label uses, interactions and indications are rows, and every row that
carries a figure points at one of the guide's numbered references.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Substr, Upper
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from evidence.models import ReferenceListEntry
from evidence.panels import AuditPanel
from medicines.ingredients import ingredient_keys, ingredient_set

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


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


# ---------------------------------------------------------------------------
# Drug classes


class DrugClassIndexPage(Page):
    """Lists the drug classes ("/classes/")."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["medicines.DrugClassPage"]
    max_count = 1

    def get_classes(self):
        return (
            DrugClassPage.objects.live()
            .public()
            .child_of(self)
            .annotate(medicine_count=models.Count("medicines", filter=models.Q(medicines__live=True)))
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["classes"] = self.get_classes()
        return context


class DrugClassPage(Page):
    """A drug class ("Skeletal muscle relaxants") and the guides in it."""

    description = models.TextField(help_text="One or two sentences for readers: what the medicines in this class do.")

    content_panels = Page.content_panels + [FieldPanel("description")]
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["medicines.DrugClassIndexPage"]
    subpage_types: list[str] = []

    per_page = 24

    def get_medicines(self):
        return MedicinePage.objects.live().public().filter(drug_class=self).order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["medicines"] = Paginator(self.get_medicines(), self.per_page).get_page(request.GET.get("page"))
        return context


# ---------------------------------------------------------------------------
# Medicine guides


class MedicineIndexPage(Page):
    """The A–Z index of medicine guides ("/medicines/")."""

    intro = models.TextField(blank=True)
    per_page = 50

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["medicines.MedicinePage"]
    max_count = 1

    def get_medicines(self):
        return MedicinePage.objects.live().public().child_of(self).select_related("drug_class").order_by("title")

    def get_letters(self) -> list[str]:
        """The initial letters that have at least one guide."""
        initials = self.get_medicines().order_by().annotate(initial=Upper(Substr("title", 1, 1)))
        return sorted(initials.values_list("initial", flat=True).distinct())

    def get_context(self, request, *args, **kwargs):
        """One letter of the index at a time, so the page stays small however many guides there are."""
        context = super().get_context(request, *args, **kwargs)
        letters = self.get_letters()
        letter = request.GET.get("letter", "").upper()[:1]
        if letter not in letters:
            letter = letters[0] if letters else ""
        context.update(
            letters=letters,
            letter=letter,
            medicines=Paginator(
                self.get_medicines().filter(title__istartswith=letter) if letter else MedicinePage.objects.none(),
                self.per_page,
            ).get_page(request.GET.get("page")),
        )
        return context

    def route(self, request, path_components):
        # A guide is a leaf: fetch it as its own type in one query instead of
        # Page's two (generic child, then .specific).
        if len(path_components) == 1:
            from django.http import Http404
            from wagtail.url_routing import RouteResult

            try:
                guide = (
                    MedicinePage.objects.child_of(self)
                    .select_related("drug_class", "reviewed_by")
                    .get(slug=path_components[0])
                )
            except MedicinePage.DoesNotExist:
                raise Http404 from None
            if guide.live:
                return RouteResult(guide)
            raise Http404
        return super().route(request, path_components)


class MedicinePageQuerySet(PageQuerySet):
    def prescription_only(self):
        return self.filter(legal_status__in=[LegalStatus.PRESCRIPTION, LegalStatus.CONTROLLED])

    def in_class(self, drug_class):
        return self.filter(drug_class=drug_class)


class MedicinePageTag(TaggedItemBase):
    content_object = ParentalKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="tagged_items")


class MedicinePageForm(WagtailAdminPageForm):
    """Checks what needs the whole guide at once: every cited reference is listed."""

    CITING_FORMSETS = ("indications", "side_effects", "interactions", "off_label_uses", "studies")

    def clean(self):
        cleaned_data = super().clean()
        listed = set()
        formset = self.formsets.get("guide_references")
        if formset is not None:
            for form in formset.forms:
                if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE"):
                    if form.cleaned_data.get("reference"):
                        listed.add(form.cleaned_data["reference"].pk)
        missing = set()
        for name in self.CITING_FORMSETS:
            formset = self.formsets.get(name)
            if formset is None:
                continue
            for form in formset.forms:
                if not (form.is_valid() and form.cleaned_data) or form.cleaned_data.get("DELETE"):
                    continue
                reference = form.cleaned_data.get("reference")
                if reference is not None and reference.pk not in listed:
                    missing.add(str(reference))
        if missing:
            self.add_error(
                None,
                "These sources are cited in the guide but missing from its References: "
                + "; ".join(sorted(missing))
                + ". Add them under References.",
            )
        return cleaned_data


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
    pregnancy = models.TextField("pregnancy", blank=True)
    breastfeeding = models.TextField("breastfeeding", blank=True)
    # The review stamp: written only when a pharmacist approves the guide in the Guide review workflow
    # (``medicines.services.approve_revision``); no form has these fields and no revision carries them.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"groups__name": "Pharmacists", "is_active": True},
        help_text="The pharmacist who last approved this guide in the Guide review workflow.",
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="The day of that approval.")
    next_review_due = models.DateField(
        null=True, blank=True, help_text="GUIDE_REVIEW_INTERVAL_DAYS after the last approval."
    )
    # The normalised active ingredients ("|baclofen|"), written on save: what the ingredient checks search.
    ingredient_keys = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    tags = ClusterTaggableManager(through=MedicinePageTag, blank=True)
    # Filled by ``manage.py import_openfda`` (catalogue/openfda.py) from a U.S. drug label.
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
        FieldPanel("how_it_works"),
        FieldPanel("how_to_take"),
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

    # A copy is a new guide, not the imported label's, and no pharmacist has reviewed it yet.
    exclude_fields_in_copy = ["label_set_id", "label_version", "reviewed_by", "last_reviewed", "next_review_due"]
    # Fields that belong to the page, not to a revision: the review stamp.
    REVIEW_STAMP_FIELDS = ("reviewed_by_id", "last_reviewed", "next_review_due")
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
        - the next review is due after the last review.
        """
        super().clean()
        errors = {}
        if self.legal_status == LegalStatus.CONTROLLED and not self.controlled_schedule:
            errors["controlled_schedule"] = "A controlled medicine needs its schedule."
        if self.legal_status != LegalStatus.CONTROLLED and self.controlled_schedule:
            errors["controlled_schedule"] = "Only a controlled medicine has a schedule; clear it or change the status."
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            errors["next_review_due"] = "The next review must fall after the last one."
        if errors:
            raise ValidationError(errors)

    # -- derived values -------------------------------------------------------

    @property
    def requires_prescription(self) -> bool:
        return self.legal_status in (LegalStatus.PRESCRIPTION, LegalStatus.CONTROLLED)

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

    def reference_numbers(self) -> dict[int, int]:
        return {row.reference_id: row.number for row in self.numbered_references}

    def cited_rows(self, relation: str) -> list:
        """The rows of ``relation`` with ``ref_number`` set to their reference's number."""
        numbers = self.reference_numbers()
        rows = list(getattr(self, relation).all())
        for row in rows:
            row.ref_number = numbers.get(row.reference_id)
        return rows

    def audit_content(self):
        """What the content audit (``evidence.audit``) checks: the text, every structured row with its source,
        the reference list, the tags, the review dates and the side effects' figures."""
        from evidence.audit import AuditUnit, PageContent, paragraphs

        units = []
        for label, value in (
            ("Summary", self.summary),
            ("How it works", self.how_it_works),
            ("How to take it", self.how_to_take),
            ("Boxed warning", self.boxed_warning),
            ("Warnings", self.warnings),
            ("Pregnancy", self.pregnancy),
            ("Breastfeeding", self.breastfeeding),
        ):
            parts = paragraphs(str(value or ""))
            for number, text in enumerate(parts, start=1):
                place = label if len(parts) == 1 else f"{label}, paragraph {number}"
                units.append(AuditUnit("text", place, text))

        def row_units(heading, rows, name, text):
            for number, row in enumerate(rows, start=1):
                units.append(
                    AuditUnit(
                        "table_row",
                        f"{heading}, row {number} ({name(row)})",
                        " ".join(part for part in text(row) if part),
                        reference=row.reference,
                        extra={"label": name(row) if heading == "Studies" else ""},
                    )
                )

        side_effects = list(self.side_effects.select_related("reference"))
        row_units(
            "Uses",
            self.indications.select_related("reference"),
            lambda row: row.condition,
            lambda row: (row.condition, row.detail),
        )
        row_units(
            "Side effects",
            side_effects,
            lambda row: row.effect,
            lambda row: (row.effect, row.percent_range, row.note),
        )
        row_units(
            "Interactions",
            self.interactions.select_related("reference"),
            lambda row: row.substance,
            lambda row: (row.substance, row.effect),
        )
        row_units(
            "Off-label uses",
            self.off_label_uses.select_related("reference"),
            lambda row: row.condition,
            lambda row: (row.condition, row.summary),
        )
        row_units(
            "Studies",
            self.studies.select_related("reference"),
            lambda row: row.citation,
            lambda row: (
                row.citation,
                f"{row.participants} participants" if row.participants else "",
                row.design,
                row.finding,
            ),
        )
        return PageContent(
            title=self.title,
            units=units,
            references=[row.reference for row in self.numbered_references],
            tags=[tag.name for tag in self.tags.all()],
            last_reviewed=self.last_reviewed,
            next_review_due=self.next_review_due,
            review_required=True,
            side_effect_figures=[(row.effect, row.percent_low, row.percent_high) for row in side_effects],
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            indications=self.cited_rows("indications"),
            side_effects=self.cited_rows("side_effects"),
            interactions=self.cited_rows("interactions"),
            off_label_uses=self.cited_rows("off_label_uses"),
            studies=self.cited_rows("studies"),
            references=self.numbered_references,
            tags=list(self.tags.all()),
            breadcrumbs=[(self.published_class.title, self.published_class.url)] if self.published_class else [],
        )
        return context


class GuideApproval(models.Model):
    """A pharmacist's approval of one revision of a guide: who, when, and the prescription status approved.

    The only source of a guide's review stamp and of a change to whether its products need a prescription.
    Written by ``medicines.services.approve_revision`` (the Guide review workflow's pharmacist step); a record,
    never edited.
    """

    page = models.ForeignKey(MedicinePage, on_delete=models.CASCADE, related_name="approvals")
    revision = models.OneToOneField(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="guide_approval"
    )
    pharmacist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices)
    controlled_schedule = models.CharField(max_length=3, choices=ControlledSchedule.choices, blank=True)
    active_ingredients = models.CharField(max_length=255)

    class Meta:
        ordering = ["-approved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page} approved by {self.pharmacist} on {self.approved_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A pharmacist's approval is a record: it cannot be edited.")
        super().save(*args, **kwargs)

    @property
    def prescription_identity(self) -> tuple[str, str, frozenset[str]]:
        return (self.legal_status, self.controlled_schedule, ingredient_set(self.active_ingredients))

    def stamp(self, page: MedicinePage) -> None:
        """Write this approval's review stamp on ``page`` (in memory: the publish saves it)."""
        from datetime import timedelta

        page.reviewed_by_id = self.pharmacist_id
        page.last_reviewed = timezone.localdate(self.approved_at)
        page.next_review_due = page.last_reviewed + timedelta(days=settings.GUIDE_REVIEW_INTERVAL_DAYS)


class CitedRow(Orderable):
    """A row of a guide's structured data that cites one of its references."""

    reference = models.ForeignKey("evidence.Reference", on_delete=models.PROTECT, related_name="+")

    class Meta(Orderable.Meta):
        abstract = True


class Indication(CitedRow):
    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="indications")
    condition = models.CharField(max_length=200, help_text="e.g. “Spasticity from multiple sclerosis”.")
    detail = models.TextField(blank=True)
    reference = models.ForeignKey(
        "evidence.Reference", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    panels = [FieldPanel("condition"), FieldPanel("detail"), FieldPanel("reference")]


class SideEffect(CitedRow):
    """A side effect with its frequency band and the percentage range its source gives.

    Rules (``clean``): percentages lie in 0–100 and the low end is not above the high end.
    """

    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="side_effects")
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
    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="interactions")
    substance = models.CharField(max_length=200, help_text="A medicine, a class of medicines, or e.g. alcohol.")
    severity = models.CharField(max_length=20, choices=InteractionSeverity.choices)
    effect = models.TextField(help_text="What happens and what to do.")

    panels = [FieldPanel("substance"), FieldPanel("severity"), FieldPanel("effect"), FieldPanel("reference")]

    @property
    def is_severe(self) -> bool:
        return self.severity in (InteractionSeverity.CONTRAINDICATED, InteractionSeverity.MAJOR)


class OffLabelUse(CitedRow):
    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="off_label_uses")
    condition = models.CharField(max_length=200)
    evidence_strength = models.CharField(max_length=20, choices=EvidenceStrength.choices)
    summary = models.TextField(help_text="What the source found, with its figures.")

    panels = [FieldPanel("condition"), FieldPanel("evidence_strength"), FieldPanel("summary"), FieldPanel("reference")]


class Study(CitedRow):
    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="studies")
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


class GuideReference(ReferenceListEntry):
    """A guide's numbered reference list: the order here gives the numbers."""

    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="guide_references")

    class Meta(ReferenceListEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "reference"], name="unique_guide_reference")]


class SeeAlsoLink(Orderable):
    page = ParentalKey(MedicinePage, on_delete=models.CASCADE, related_name="see_also_links")
    linked_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("linked_page")]
