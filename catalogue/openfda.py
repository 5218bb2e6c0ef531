"""Import U.S. drug labels from openFDA's ``/drug/label`` download files as draft guides and unpriced products.

A label record (one element of the file's ``results`` list) becomes:

- a **draft** medicine guide, keyed on the label's ``set_id`` (``MedicinePage.label_set_id``): names, indications
  (as its summary), dosage and administration, contraindications and warnings, boxed warning, pregnancy and
  lactation, mechanism of action, and the adverse reactions and interactions as the label words them (its
  structured rows need frequency bands and severities that label prose does not give, so they are left to an
  editor). The label itself is a ``Reference`` of kind LABEL in the guide's reference list. Nothing is published:
  a guide that is already live gets a new draft revision to review, and the site keeps showing the live one.
- **inactive products without packs**, one per form and strength found in the label, keyed on (guide, form,
  strength): a pharmacist adds packs and prices, then activates them. No pack or price is ever made up.

Importing the same version of a label again changes nothing (an editor's work on the draft is kept); a new version
updates the label's fields in a new revision, whose history keeps what was there before.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape

from catalogue.models import DosageForm, Product
from evidence.models import Reference, ReferenceKind
from medicines.models import (
    ControlledSchedule,
    DrugClassIndexPage,
    DrugClassPage,
    GuideReference,
    LegalStatus,
    MedicineIndexPage,
    MedicinePage,
)

LABEL_CONTAINER = "DailyMed (U.S. National Library of Medicine)"
DAILYMED_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
# Text for a required guide field the label has no section for.
NOT_IN_LABEL = "Not given in the imported label: see the full prescribing information."
UNCLASSIFIED = "Unclassified imports"


class LabelFileError(Exception):
    """A file that cannot be read as an openFDA drug label file; the message names the file."""


class LabelSkipped(Exception):
    """A label record that lacks what a guide needs (its set id, a generic name); the message says what."""


# ---------------------------------------------------------------------------
# Reading the files


@dataclass
class LabelBatch:
    """The records of one JSON document: a ``.json`` file, or one ``.json`` inside a ``.zip``."""

    name: str
    records: list


def read_label_file(path: str | Path) -> Iterator[LabelBatch]:
    """The label records in ``path``: an openFDA ``/drug/label`` JSON file, or a zip of them as downloaded
    (``drug-label-0001-of-0013.json.zip``). One document at a time, so a whole download never sits in memory.

    Raises ``LabelFileError`` naming the file when it is missing, not a zip, not JSON or has no ``results`` list.
    """
    path = Path(path)
    if not path.is_file():
        raise LabelFileError(f"{path}: no such file")
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(name for name in archive.namelist() if name.lower().endswith(".json"))
                if not members:
                    raise LabelFileError(f"{path}: the zip holds no .json file")
                for member in members:
                    name = f"{path.name} › {member}"
                    with archive.open(member) as stream:
                        yield LabelBatch(name, _results(stream, name))
        except (zipfile.BadZipFile, OSError) as exc:
            raise LabelFileError(f"{path}: not a readable zip file ({exc})") from exc
        return
    try:
        with path.open("rb") as stream:
            records = _results(stream, str(path))
    except OSError as exc:
        raise LabelFileError(f"{path}: cannot be read ({exc})") from exc
    yield LabelBatch(str(path), records)


def _results(stream, name: str) -> list:
    try:
        document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise LabelFileError(f"{name}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:  # not UTF-8 text
        raise LabelFileError(f"{name}: not JSON ({exc})") from exc
    except RecursionError as exc:
        raise LabelFileError(f"{name}: nested too deeply to be an openFDA drug label file") from exc
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise LabelFileError(f"{name}: no “results” list, so not an openFDA drug label file")
    return document["results"]


def describe_record(raw, number: int) -> str:
    """How messages name a record: its place in the file, set id, document id and generic name, as far as known."""
    if not isinstance(raw, dict):
        return f"record {number}"
    openfda = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    parts = [f"set_id {raw['set_id']}" if raw.get("set_id") else "no set_id"]
    if raw.get("id"):
        parts.append(f"id {raw['id']}")
    names = _strings(openfda.get("generic_name")) or _strings(openfda.get("substance_name"))
    if names:
        parts.append(names[0])
    return f"record {number} ({', '.join(parts)})"


# ---------------------------------------------------------------------------
# Reading one record


def _strings(value) -> list[str]:
    """A label field as a list of non-empty strings with their whitespace tidied (openFDA gives lists)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [" ".join(str(item).split()) for item in value if isinstance(item, str | int) and str(item).strip()]


# The headings a section's text starts with, which the guide's own headings replace.
SECTION_HEADINGS = {
    "indications_and_usage": r"indications\s*(?:and|&)\s*usage|indications|uses",
    "purpose": r"purposes?",
    "dosage_and_administration": r"dosage\s*(?:and|&)\s*administration|directions",
    "mechanism_of_action": r"mechanism\s+of\s+action",
    "clinical_pharmacology": r"clinical\s+pharmacology",
    "boxed_warning": r"boxed\s+warning",
    "contraindications": r"contraindications",
    "warnings_and_cautions": r"warnings\s*(?:and|&)\s*precautions",
    "warnings": r"warnings",
    "precautions": r"precautions",
    "adverse_reactions": r"adverse\s+reactions",
    "drug_interactions": r"drug\s+interactions",
    "pregnancy": r"pregnancy",
    "pregnancy_or_breast_feeding": r"pregnancy\s+or\s+breast[\s-]*feeding",
    "lactation": r"lactation",
    "nursing_mothers": r"nursing\s+mothers",
    "controlled_substance": r"controlled\s+substance",
}


def _without_heading(text: str, key: str) -> str:
    """``"1 INDICATIONS AND USAGE Baclofen is…"`` → ``"Baclofen is…"``; "Pregnancy Category C" keeps its words."""
    heading = SECTION_HEADINGS.get(key)
    if not heading:
        return text
    pattern = rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{heading})\s*:?\s+(?!category\b)"
    return re.sub(pattern, "", text, count=1, flags=re.IGNORECASE).strip()


@dataclass
class Label:
    """One label record, read: its identity, the ``openfda`` names and codes, and its text sections."""

    raw: dict
    set_id: str
    document_id: str
    version: str
    effective: date | None
    generic_name: str
    brand_names: list[str]
    substances: list[str]
    manufacturer: str
    product_types: list[str]
    routes: list[str]
    product_ndcs: list[str]
    rxcuis: list[str]
    pharm_class: str

    def section(self, *keys: str) -> list[str]:
        """The paragraphs of the first of ``keys`` the label has, without its heading."""
        for key in keys:
            paragraphs = [_without_heading(text, key) for text in _strings(self.raw.get(key))]
            paragraphs = [text for text in paragraphs if text]
            if paragraphs:
                return paragraphs
        return []

    @property
    def version_label(self) -> str:
        """What ``MedicinePage.label_version`` records, to tell a new version of the label from the same one."""
        parts = [f"version {self.version}" if self.version else "", f"of {self.effective}" if self.effective else ""]
        text = " ".join(part for part in parts if part)
        return text or (f"document {self.document_id}" if self.document_id else "")

    @property
    def over_the_counter(self) -> bool:
        return any("OTC" in kind.upper() for kind in self.product_types)

    @property
    def url(self) -> str:
        return DAILYMED_URL.format(set_id=self.set_id)


def _capitalised(name: str) -> str:
    """Labels shout ("BACLOFEN"); guides do not ("Baclofen")."""
    return name[:1].upper() + name[1:].lower() if name.isupper() else name


def parse_label(raw) -> Label:
    """The record read into a ``Label``. Raises ``LabelSkipped`` when it has no set id or no generic name."""
    if not isinstance(raw, dict):
        raise LabelSkipped("not a JSON object")
    openfda = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    set_id = str(raw.get("set_id") or "").strip()
    if not set_id:
        raise LabelSkipped("no set_id")
    try:
        set_id = str(uuid.UUID(set_id))
    except ValueError:
        raise LabelSkipped(f"the set_id “{set_id[:60]}” is not a set id (a UUID)") from None
    substances = [name.lower() for name in _strings(openfda.get("substance_name"))]
    generic_names = _strings(openfda.get("generic_name"))
    generic = generic_names[0] if generic_names else ", ".join(substances)
    if not generic:
        raise LabelSkipped("no generic name (openfda.generic_name or openfda.substance_name)")
    brands = []
    for brand in _strings(openfda.get("brand_name")):
        brand = _capitalised(brand)
        if brand.lower() != generic.lower() and brand.lower() not in {b.lower() for b in brands}:
            brands.append(brand)
    effective_time = str(raw.get("effective_time") or "")
    try:
        effective = date(int(effective_time[:4]), int(effective_time[4:6]), int(effective_time[6:8]))
    except ValueError:
        effective = None
    classes = _strings(openfda.get("pharm_class_epc"))
    return Label(
        raw=raw,
        set_id=set_id,
        document_id=str(raw.get("id") or ""),
        version=str(raw.get("version") or ""),
        effective=effective,
        generic_name=generic,
        brand_names=brands,
        substances=substances,
        manufacturer=(_strings(openfda.get("manufacturer_name")) or [""])[0],
        product_types=_strings(openfda.get("product_type")),
        routes=[route.upper() for route in _strings(openfda.get("route"))],
        product_ndcs=[ndc for ndc in _strings(openfda.get("product_ndc")) if NDC_PRODUCT.match(ndc)],
        rxcuis=[code for code in _strings(openfda.get("rxcui")) if code.isdigit()],
        pharm_class=re.sub(r"\s*\[EPC\]\s*$", "", classes[0]) if classes else "",
    )


# ---------------------------------------------------------------------------
# Forms and strengths

NDC_PRODUCT = re.compile(r"^\d{4,5}-\d{3,4}$")


@dataclass(frozen=True)
class FormMention:
    """A dosage form named in the label: one the catalogue sells (``form``), or another (``form`` is None)."""

    form: DosageForm | None
    phrase: str


# Forms as labels name them, most specific first; None for a form the catalogue has no choice for (``DosageForm``),
# oral or not, so that the strengths after it are not taken for the form named before.
NOT_SOLD = (
    r"(?:delayed|modified)[\s-]+release\s+(?:oral\s+)?[a-z]+"
    r"|(?:extended|sustained)[\s-]+release\s+(?:oral\s+)?(?:suspension|solution|granules)"
    r"|(?:chewable|effervescent|sublingual|buccal|dispersible|soluble)\s+tablets?"
    r"|(?:tablets?|capsules?),?\s+(?:chewable|delayed[\s-]+release|effervescent|soluble)"
    r"|(?:ophthalmic|otic|nasal|topical|intravenous|intrathecal|injectable|vaginal|rectal)"
    r"(?:\s+(?:solution|suspension|emulsion|spray|gel|cream))?"
    r"|(?:for\s+)?injections?|creams?|ointments?|gels?|lotions?|(?:transdermal\s+)?patch(?:es)?|sprays?"
    r"|inhal[a-z]+|aerosols?|suppositor[a-z]+|implants?|shampoos?"
)
FORMS: list[tuple[str, DosageForm | None]] = [
    (r"orally[\s-]+disintegrating\s+tablets?|tablets?,?\s+orally\s+disintegrating|\bODT\b", DosageForm.ODT),
    (
        r"(?:extended|sustained)[\s-]+release\s+tablets?"
        r"|tablets?,?\s+(?:film[\s-]+coated,?\s+)?(?:extended|sustained)[\s-]+release",
        DosageForm.EXTENDED_RELEASE_TABLET,
    ),
    (
        r"(?:extended|sustained)[\s-]+release\s+capsules?|capsules?,?\s+extended[\s-]+release",
        DosageForm.EXTENDED_RELEASE_CAPSULE,
    ),
    (NOT_SOLD, None),
    (r"(?:oral\s+)?suspension", DosageForm.ORAL_SUSPENSION),
    (r"(?:oral\s+)?solution", DosageForm.ORAL_SOLUTION),
    (r"(?:oral\s+)?granules", DosageForm.GRANULES),
    (r"capsules?", DosageForm.CAPSULE),
    (r"tablets?", DosageForm.TABLET),
]
FORM_PATTERN = re.compile(
    "|".join(rf"(?P<f{number}>\b(?:{pattern})\b)" for number, (pattern, _) in enumerate(FORMS)), re.IGNORECASE
)
NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
STRENGTH_PATTERN = re.compile(
    rf"(?<![\w.])(?P<numbers>(?:{NUMBER})(?:\s*(?:,\s*(?:and|or)?|and|or|&)\s*(?:{NUMBER}))*)\s*"
    r"(?P<unit>mg|mcg|µg|g|mEq|units?|%)(?![\w])"
    rf"(?:\s*(?:/|per)\s*(?P<volume>{NUMBER})?\s*(?P<volume_unit>mL|L|g)(?![\w]))?",
    re.IGNORECASE,
)
# Where a label states its strengths, best first.
STRENGTH_SECTIONS = (
    "dosage_forms_and_strengths",
    "active_ingredient",
    "how_supplied",
    "package_label_principal_display_panel",
    "spl_product_data_elements",
)
# Where to look for the form of strengths stated without one.
FORM_SECTIONS = STRENGTH_SECTIONS + ("description", "dosage_and_administration")


def _form_mention(match: re.Match) -> FormMention:
    form = FORMS[int(match.lastgroup[1:])][1]
    return FormMention(form, form.label.lower() if form else " ".join(match.group(0).lower().split()))


UNITS = {"mg": "mg", "mcg": "mcg", "µg": "mcg", "g": "g", "meq": "mEq", "unit": "units", "units": "units", "%": "%"}


def _strength_texts(match: re.Match) -> list[str]:
    """``"5, 10, and 20 mg"`` → ``["5 mg", "10 mg", "20 mg"]``; ``"5 mg/5 mL"`` stays one strength."""
    unit = UNITS[match.group("unit").lower()]
    per = ""
    if match.group("volume_unit"):
        volume_unit = "mL" if match.group("volume_unit").lower() == "ml" else match.group("volume_unit")
        volume = (match.group("volume") or "").replace(",", "")
        per = f"/{volume} {volume_unit}" if volume else f"/{volume_unit}"
    numbers = re.findall(NUMBER, match.group("numbers"))
    separator = "" if unit == "%" else " "
    return [f"{number.replace(',', '')}{separator}{unit}{per}" for number in numbers]


def forms_and_strengths(text: str, default: FormMention | None = None) -> list[tuple[FormMention | None, str]]:
    """Each strength in ``text`` with the form named last before it (else ``default``), in order, once each.

    "Tablets: 2 mg and 4 mg. Capsules: 2 mg, 4 mg and 6 mg." gives two tablets and three capsules.
    """
    tokens = [(match.start(), "form", match) for match in FORM_PATTERN.finditer(text)]
    tokens += [(match.start(), "strength", match) for match in STRENGTH_PATTERN.finditer(text)]
    current = default
    found: list[tuple[FormMention | None, str]] = []
    for _, kind, match in sorted(tokens, key=lambda token: token[0]):
        if kind == "form":
            current = _form_mention(match)
            continue
        for strength in _strength_texts(match):
            if (current, strength) not in found:
                found.append((current, strength))
    return found


@dataclass(frozen=True)
class ProductSpec:
    """A product the label describes: form, strength, and the codes that clearly belong to it."""

    form: DosageForm
    strength: str
    ndc_product_code: str = ""
    rxnorm_code: str = ""


def _first_form(label: Label) -> FormMention | None:
    for key in FORM_SECTIONS:
        for text in _strings(label.raw.get(key)):
            match = FORM_PATTERN.search(text)
            if match:
                return _form_mention(match)
    return None


def label_forms(label: Label) -> list[FormMention]:
    """The forms the label's strengths come in (or the first form it names), for the reference's title."""
    found = []
    for mention, _ in _label_strengths(label):
        if mention is not None and mention not in found:
            found.append(mention)
    first = _first_form(label)
    return found or ([first] if first else [])


def _label_strengths(label: Label) -> list[tuple[FormMention | None, str]]:
    """The label's (form, strength) pairs, from the first section that states any."""
    default = _first_form(label)
    for key in STRENGTH_SECTIONS:
        found = forms_and_strengths(" ".join(_strings(label.raw.get(key))), default)
        if found:
            return found
    return []


def product_specs(label: Label) -> tuple[list[ProductSpec], list[str]]:
    """The products the label describes, and why any it mentions cannot be products here.

    Codes are given only where one clearly belongs to a product: the NDC when the label has one product and one
    product NDC, or when a package label panel names exactly one of the label's NDCs and one strength; the RxCUI
    only when the label has one product and one RxCUI (``openfda.rxcui`` does not say which strength each is).
    """
    if label.routes and "ORAL" not in label.routes:
        routes = ", ".join(route.lower() for route in label.routes)
        return [], [f"route {routes}: the catalogue sells oral forms only"]
    found = _label_strengths(label)
    if not found:
        return [], ["no strength found in the label"]
    specs: list[ProductSpec] = []
    problems: list[str] = []
    for mention, strength in found:
        if mention is None:
            problems.append(f"{strength}: no dosage form found for it")
        elif mention.form is None:
            problems.append(f"{strength} {mention.phrase}: not a form the catalogue sells")
        elif not any(spec.form == mention.form and spec.strength == strength for spec in specs):
            specs.append(ProductSpec(mention.form, strength))
    ndcs = _ndcs_by_product(label, specs)
    one = len(specs) == 1
    specs = [
        ProductSpec(
            spec.form,
            spec.strength,
            ndc_product_code=ndcs.get((spec.form, spec.strength), ""),
            rxnorm_code=label.rxcuis[0] if one and len(label.rxcuis) == 1 else "",
        )
        for spec in specs
    ]
    return specs, problems


def _ndcs_by_product(label: Label, specs: list[ProductSpec]) -> dict[tuple[str, str], str]:
    if len(specs) == 1 and len(label.product_ndcs) == 1:
        return {(specs[0].form, specs[0].strength): label.product_ndcs[0]}
    default = _first_form(label)
    ndcs = {}
    for panel in _strings(label.raw.get("package_label_principal_display_panel")):
        named = [ndc for ndc in label.product_ndcs if re.search(rf"(?<![\d-]){re.escape(ndc)}(?![\d])", panel)]
        pairs = {(mention.form, strength) for mention, strength in forms_and_strengths(panel, default) if mention}
        pairs &= {(spec.form, spec.strength) for spec in specs}
        if len(named) == 1 and len(pairs) == 1:
            ndcs.setdefault(pairs.pop(), named[0])
    return ndcs


# ---------------------------------------------------------------------------
# The guide's fields


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


# ---------------------------------------------------------------------------
# Importing


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
    """The label as a reference, found by its DailyMed address and brought up to date (read today)."""
    reference = Reference.objects.filter(kind=ReferenceKind.LABEL, url=label.url).order_by("pk").first()
    reference = reference or Reference(kind=ReferenceKind.LABEL, url=label.url)
    reference.title = reference_title(label)
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
        title=_capitalised(label.generic_name),
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
