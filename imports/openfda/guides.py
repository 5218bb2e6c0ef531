"""What a label fills in a medicine guide: its sections, legal status, and the label's title as a reference."""

from __future__ import annotations

import re

from django.utils.html import escape

from imports.openfda.labels import Label
from imports.openfda.strengths import label_forms
from medicines.models import ControlledSchedule, LegalStatus

# Text for a required guide field the label has no section for.
NOT_IN_LABEL = "Not given in the imported label: see the full prescribing information."


def _plain(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _rich(*sections: tuple[str, list[str]]) -> str:
    """Label text as the guide's rich text: escaped paragraphs, under headings when there are several sections."""
    present = [(heading, paragraphs) for heading, paragraphs in sections if paragraphs]
    html = []
    for heading, paragraphs in present:
        if len(present) > 1:
            html.append(f"<h3>{escape(heading)}</h3>")
        html.extend(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return "".join(html)


SCHEDULE_PATTERN = re.compile(r"\b(?i:schedule)\s+(III|II|IV|V)\b|\bC-?(III|II|IV|V)\b")


def legal_status_for(label: Label) -> tuple[str, str]:
    """The legal status and schedule the label states: controlled when its controlled substance section names a
    schedule, over the counter for an OTC label, else prescription only."""
    for text in label.section("controlled_substance"):
        match = SCHEDULE_PATTERN.search(text)
        if match:
            return LegalStatus.CONTROLLED, ControlledSchedule(match.group(1) or match.group(2))
    if label.over_the_counter:
        return LegalStatus.GENERAL_SALE, ""
    return LegalStatus.PRESCRIPTION, ""


def guide_sections(label: Label) -> dict[str, str]:
    """The guide's fields that the label's text sections fill, for the sections the label has.

    Warnings gather the contraindications and the warnings and precautions (a label in the older format has
    separate warnings and precautions sections)."""
    precautions = [] if label.section("warnings_and_cautions") else label.section("precautions")
    values = {
        "summary": _plain(label.section("indications_and_usage", "purpose")),
        "how_it_works": _rich(("Mechanism of action", label.section("mechanism_of_action", "clinical_pharmacology"))),
        "how_to_take": _rich(("Dosage and administration", label.section("dosage_and_administration"))),
        "boxed_warning": _plain(label.section("boxed_warning")),
        "warnings": _rich(
            ("Contraindications", label.section("contraindications")),
            ("Warnings and precautions", label.section("warnings_and_cautions", "warnings")),
            ("Precautions", precautions),
        ),
        "pregnancy": _plain(label.section("pregnancy", "pregnancy_or_breast_feeding")),
        "breastfeeding": _plain(label.section("lactation", "nursing_mothers")),
        "label_adverse_reactions": _plain(label.section("adverse_reactions")),
        "label_interactions": _plain(label.section("drug_interactions")),
    }
    return {name: value for name, value in values.items() if value}


# A new guide's required fields, where the label has no section for them.
REQUIRED_TEXT = {
    "summary": NOT_IN_LABEL,
    "how_it_works": f"<p>{NOT_IN_LABEL}</p>",
    "how_to_take": f"<p>{NOT_IN_LABEL}</p>",
    "warnings": f"<p>{NOT_IN_LABEL}</p>",
}


def reference_title(label: Label) -> str:
    """The label's title as a reference: "BACLOFEN tablet — prescribing information",
    "ZANAFLEX (tizanidine) capsule and tablet — prescribing information"."""
    name = label.generic_name.upper()
    if label.brand_names:
        name = f"{label.brand_names[0].upper()} ({label.generic_name.lower()})"
    forms = " and ".join(mention.phrase for mention in label_forms(label))
    kind = "Drug Facts label" if label.over_the_counter else "prescribing information"
    return f"{' '.join(part for part in (name, forms) if part)} — {kind}"
