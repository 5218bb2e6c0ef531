"""What a guide shows the content audit (``evidence.audit``): ``MedicinePage.audit_content``."""

from __future__ import annotations

from evidence.audit import AuditUnit, PageContent, paragraphs


def guide_content(page) -> PageContent:
    """What the content audit (``evidence.audit``) checks: the text, every structured row with its source,
    the reference list, the tags, the review dates and the side effects' figures."""
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

    side_effects = list(page.side_effects.select_related("reference"))
    row_units(
        "Uses",
        page.indications.select_related("reference"),
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
        page.interactions.select_related("reference"),
        lambda row: row.substance,
        lambda row: (row.substance, row.effect),
    )
    row_units(
        "Off-label uses",
        page.off_label_uses.select_related("reference"),
        lambda row: row.condition,
        lambda row: (row.condition, row.summary),
    )
    row_units(
        "Studies",
        page.studies.select_related("reference"),
        lambda row: row.citation,
        lambda row: (
            row.citation,
            f"{row.participants} participants" if row.participants else "",
            row.design,
            row.finding,
        ),
    )
    return PageContent(
        title=page.title,
        units=units,
        references=[row.reference for row in page.numbered_references],
        tags=[tag.name for tag in page.tags.all()],
        last_reviewed=page.last_reviewed,
        next_review_due=page.next_review_due,
        review_required=True,
        side_effect_figures=[(row.effect, row.percent_low, row.percent_high) for row in side_effects],
    )
