"""What a guide shows the content audit (``evidence.audit``): ``MedicinePage.audit_content``; and what every guide
tells the audit of any page that names its medicine (``medicine_facts``, registered in ``MedicinesConfig.ready``)."""

from __future__ import annotations

import re

from apothecary.core.freshness import remember
from evidence.audit import AuditUnit, MedicineFacts, PageContent, paragraphs
from evidence.audit.amounts import duration_limit_days, maximum_daily_mg, strength_key


def _study_text(row) -> tuple:
    return (row.citation, f"{row.participants} participants" if row.participants else "", row.design, row.finding)


# A guide's tables of sourced rows: (heading, the page's related name, the field that names a row, the row's text).
ROW_TABLES = (
    ("Uses", "indications", "condition", lambda row: (row.condition, row.detail)),
    ("Side effects", "side_effects", "effect", lambda row: (row.effect, row.percent_range, row.note)),
    ("Interactions", "interactions", "substance", lambda row: (row.substance, row.effect)),
    ("Who should not take it", "contraindications", "who", lambda row: (row.who, row.detail)),
    ("Serious side effects: get help now", "urgent_signs", "signs", lambda row: (row.signs, row.action)),
    ("Off-label uses", "off_label_uses", "condition", lambda row: (row.condition, row.summary)),
    ("Studies", "studies", "citation", _study_text),
)


def guide_content(page) -> PageContent:
    """What the content audit (``evidence.audit``) checks: the text, the cited text fields (usual dose, key
    warning, missed dose, overdose, storage) with their sources, every structured row with its source, the
    reference list, the tags, the review dates and the side effects' figures."""
    units = []
    for label, value in (
        ("Summary", page.summary),
        ("How it works", page.how_it_works),
        ("How to take it", page.how_to_take),
        ("Boxed warning", page.boxed_warning),
        ("Warnings", page.warnings),
        ("Pregnancy", page.pregnancy),
        ("Breastfeeding", page.breastfeeding),
    ):
        parts = paragraphs(str(value or ""))
        for number, text in enumerate(parts, start=1):
            place = label if len(parts) == 1 else f"{label}, paragraph {number}"
            units.append(AuditUnit("text", place, text))

    for name, reference_name, label in page.CITED_TEXT_FIELDS:
        text = (getattr(page, name) or "").strip()
        if text:
            units.append(AuditUnit("text", label, text, reference=getattr(page, reference_name)))

    rows_of = {}
    for heading, related_name, name_field, text in ROW_TABLES:
        rows_of[related_name] = rows = list(getattr(page, related_name).select_related("reference"))
        for number, row in enumerate(rows, start=1):
            name = getattr(row, name_field)
            units.append(
                AuditUnit(
                    "table_row",
                    f"{heading}, row {number} ({name})",
                    " ".join(part for part in text(row) if part),
                    reference=row.reference,
                    extra={"label": name if heading == "Studies" else ""},
                )
            )
    return PageContent(
        title=page.title,
        units=units,
        references=[row.reference for row in page.numbered_references],
        tags=[tag.name for tag in page.tags.all()],
        last_reviewed=page.last_reviewed,
        next_review_due=page.next_review_due,
        review_required=True,
        side_effect_figures=[(row.effect, row.percent_low, row.percent_high) for row in rows_of["side_effects"]],
        subject=page.title,
    )


def _names(guide) -> tuple[str, ...]:
    """How text names a guide's medicine: its title, generic name and brand names ("Lioresal (UK)" as "lioresal")."""
    brands = [re.sub(r"\s*\(.*?\)", "", brand) for brand in guide.brand_name_list]
    names = (name.strip().casefold() for name in (guide.title, guide.generic_name, *brands))
    return tuple(dict.fromkeys(name for name in names if len(name) >= 4))


def _names_by_guide() -> list[tuple[int, tuple[str, ...]]]:
    """Every guide's names, kept until the content changes: the audit of a report's many pages reads them once."""
    from medicines.models import MedicinePage

    def build():
        guides = MedicinePage.objects.only("title", "generic_name", "brand_names").order_by("pk")
        return [(guide.pk, _names(guide)) for guide in guides]

    return remember("medicines:audit-names", build)


def medicine_facts(content: PageContent) -> list[MedicineFacts]:
    """The facts of every medicine whose guide's title, generic or brand name the page's text names: its side
    effects' figures, the maximum daily dose and longest use its usual dose allows, its catalogue products (the
    ``products`` of the guide) and whether it needs a prescription. Three queries at most, whatever the number of
    guides."""
    from medicines.models import MedicinePage

    words = set(re.findall(r"\w+", " ".join([content.title, *(unit.text for unit in content.units)]).casefold()))
    named = [pk for pk, names in _names_by_guide() if any(set(name.split()) <= words for name in names)]
    if not named:
        return []
    facts = []
    for guide in MedicinePage.objects.filter(pk__in=named).prefetch_related("side_effects", "products"):
        facts.append(
            MedicineFacts(
                name=guide.title,
                names=_names(guide),
                side_effects=tuple((row.effect, row.percent_low, row.percent_high) for row in guide.side_effects.all()),
                max_daily_mg=maximum_daily_mg(guide.usual_dose),
                max_days=duration_limit_days(guide.usual_dose),
                products=tuple(
                    (product.strength, product.form)
                    for product in sorted(guide.products.all(), key=lambda p: (p.form, strength_key(p.strength) or ()))
                ),
                prescription_only=guide.requires_prescription,
            )
        )
    return facts
