"""What a guide shows the content audit (``evidence.audit``): ``MedicinePage.audit_content``."""

from __future__ import annotations

from evidence.audit import AuditUnit, PageContent, paragraphs


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
    )
