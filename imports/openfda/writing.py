"""Writing a label into the site: its draft guide, drug class and reference, and its inactive products, in one
transaction per record (``import_label``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from catalogue.models import Product
from evidence.models import Reference, ReferenceKind
from evidence.services import find_reference
from imports.openfda.guides import REQUIRED_TEXT, guide_sections, legal_status_for, reference_title
from imports.openfda.labels import LABEL_CONTAINER, Label, capitalised, parse_label
from imports.openfda.strengths import ProductSpec, product_specs
from medicines.models import (
    DrugClassIndexPage,
    DrugClassPage,
    GuideReference,
    MedicineIndexPage,
    MedicinePage,
)

UNCLASSIFIED = "Unclassified imports"


@dataclass
class Destination:
    """Where imported guides and their draft drug classes go."""

    medicines: MedicineIndexPage
    classes: DrugClassIndexPage

    @classmethod
    def find(cls) -> Destination | None:
        medicines = MedicineIndexPage.objects.first()
        classes = DrugClassIndexPage.objects.first()
        return cls(medicines, classes) if medicines and classes else None


@dataclass
class Outcome:
    """What importing one record did."""

    status: str  # "created", "updated" or "unchanged"
    guide: MedicinePage
    live: bool = False
    products: Counter = field(default_factory=Counter)
    product_problems: list[str] = field(default_factory=list)
    new_class: DrugClassPage | None = None


def import_label(raw, destination: Destination, today: date, force: bool = False) -> Outcome:
    """Import one label record in its own transaction: all of it is saved, or none of it.

    Raises ``LabelSkipped`` for a record a guide cannot be made from; any other error leaves the database as it was.
    """
    label = parse_label(raw)
    with transaction.atomic():
        existing = MedicinePage.objects.filter(label_set_id=label.set_id).first()
        if existing is None:
            guide, new_class = _create_guide(label, destination, today)
            outcome = Outcome("created", guide, new_class=new_class)
        else:
            draft = existing.get_latest_revision_as_object()
            if draft.label_version == label.version_label and not force:
                specs, problems = product_specs(label)
                return Outcome(
                    "unchanged",
                    existing,
                    live=existing.live,
                    products=Counter(unchanged=len(specs)),
                    product_problems=problems,
                )
            changed = _update_guide(existing, draft, label, today)
            outcome = Outcome("updated" if changed else "unchanged", existing, live=existing.live)
        specs, outcome.product_problems = product_specs(label)
        for spec in specs:
            outcome.products[_save_product(outcome.guide, spec, label.manufacturer)] += 1
        return outcome


def _label_reference(label: Label, today: date) -> Reference:
    """The label as a reference, found by its DailyMed address (``evidence.services.find_reference``) and brought
    up to date (read today)."""
    title = reference_title(label)
    reference = find_reference(url=label.url, title=title, kind=ReferenceKind.LABEL)
    reference = reference or Reference(kind=ReferenceKind.LABEL, url=label.url)
    reference.title = title
    reference.container = LABEL_CONTAINER
    reference.year = label.effective.year if label.effective else None
    reference.accessed = today
    reference.full_clean()
    reference.save()
    return reference


def _drug_class(label: Label, destination: Destination) -> tuple[DrugClassPage, DrugClassPage | None]:
    """The class named by the label's FDA established pharmacologic class (or "Unclassified imports"), found by
    title among the site's classes or made as a draft for an editor to describe; the second value is a new one."""
    title = label.pharm_class or UNCLASSIFIED
    found = DrugClassPage.objects.child_of(destination.classes).filter(title__iexact=title).first()
    if found:
        return found, None
    if label.pharm_class:
        description = f"Medicines in the FDA established pharmacologic class “{title}”."
    else:
        description = "Imported guides whose label names no pharmacologic class: move each to its class."
    page = DrugClassPage(title=title, description=description, live=False)
    check_lengths(page)
    destination.classes.add_child(instance=page)
    page.save_revision(log_action="wagtail.create")
    return page, page


def check_lengths(instance) -> None:
    """Text longer than its column is a ValidationError before anything is written (PostgreSQL would refuse the
    row; SQLite would store it)."""
    errors = {
        field.name: [f"Ensure this value has at most {field.max_length} characters (it has {len(value)})."]
        for field in instance._meta.concrete_fields
        if field.max_length
        and isinstance(value := getattr(instance, field.attname), str)
        and len(value) > field.max_length
    }
    if errors:
        raise ValidationError(errors)


def _create_guide(label: Label, destination: Destination, today: date) -> tuple[MedicinePage, DrugClassPage | None]:
    drug_class, new_class = _drug_class(label, destination)
    legal_status, schedule = legal_status_for(label)
    guide = MedicinePage(
        title=capitalised(label.generic_name),
        generic_name=label.generic_name.lower(),
        brand_names=", ".join(label.brand_names),
        active_ingredients=", ".join(label.substances) or label.generic_name.lower(),
        drug_class=drug_class,
        legal_status=legal_status,
        controlled_schedule=schedule,
        label_set_id=label.set_id,
        label_version=label.version_label,
        live=False,
        **(REQUIRED_TEXT | guide_sections(label)),
    )
    check_lengths(guide)
    guide.guide_references.add(GuideReference(reference=_label_reference(label, today), sort_order=0))
    destination.medicines.add_child(instance=guide)
    guide.save_revision(log_action="wagtail.create")
    return guide, new_class


def _update_guide(guide: MedicinePage, draft: MedicinePage, label: Label, today: date) -> bool:
    """Bring the latest draft up to the label's new version in a new revision; False when nothing differs.

    The label's sections replace the fields they fill (a section the label lacks leaves its field alone); brand
    names are added, never removed; the title, class and legal status stay as the editors set them. A live guide
    is not touched: the new revision waits for review.
    """
    values = guide_sections(label) | {
        "active_ingredients": ", ".join(label.substances) or draft.active_ingredients,
        "label_version": label.version_label,
    }
    known = {name.lower() for name in draft.brand_name_list}
    values["brand_names"] = ", ".join(draft.brand_name_list + [b for b in label.brand_names if b.lower() not in known])
    reference = _label_reference(label, today)
    changed = [name for name, value in values.items() if getattr(draft, name) != value]
    listed = any(row.reference_id == reference.pk for row in draft.guide_references.all())
    if not changed and listed:
        return False
    for name in changed:
        setattr(draft, name, values[name])
    if not listed:
        draft.guide_references.add(GuideReference(reference=reference, sort_order=len(draft.guide_references.all())))
    if not guide.live:
        draft.save()
    draft.save_revision(log_action=True)
    return True


def _save_product(guide: MedicinePage, spec: ProductSpec, manufacturer: str) -> str:
    """Make or update the guide's product for ``spec``: new ones are inactive and have no packs until a pharmacist
    prices them; an existing one keeps its packs, prices and active flag, and takes the label's codes."""
    product = Product.objects.filter(medicine=guide, form=spec.form, strength=spec.strength).first()
    status = "unchanged"
    if product is None:
        product = Product(medicine=guide, form=spec.form, strength=spec.strength, active=False)
        status = "created"
    for name, value in (
        ("manufacturer", manufacturer),
        ("ndc_product_code", spec.ndc_product_code),
        ("rxnorm_code", spec.rxnorm_code),
    ):
        if value and getattr(product, name) != value:
            setattr(product, name, value)
            status = "created" if status == "created" else "updated"
    if status != "unchanged":
        product.full_clean()
        product.save()
    return status


@dataclass
class ImportSummary:
    """Counts and notes over a whole import, for the command's summary."""

    guides: Counter = field(default_factory=Counter)
    products: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    product_problems: Counter = field(default_factory=Counter)
    live_revised: list[MedicinePage] = field(default_factory=list)
    new_classes: list[DrugClassPage] = field(default_factory=list)
    failed: int = 0
    bad_files: int = 0

    def add(self, outcome: Outcome) -> None:
        self.guides[outcome.status] += 1
        self.products.update(outcome.products)
        self.product_problems.update(outcome.product_problems)
        if outcome.live and outcome.status == "updated":
            self.live_revised.append(outcome.guide)
        if outcome.new_class is not None:
            self.new_classes.append(outcome.new_class)
