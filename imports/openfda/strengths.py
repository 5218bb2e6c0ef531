"""The products a label describes: its dosage forms and strengths (``product_specs``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogue.models import DosageForm
from imports.openfda.labels import Label, strings


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
        for text in strings(label.raw.get(key)):
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
        found = forms_and_strengths(" ".join(strings(label.raw.get(key))), default)
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
    for panel in strings(label.raw.get("package_label_principal_display_panel")):
        named = [ndc for ndc in label.product_ndcs if re.search(rf"(?<![\d-]){re.escape(ndc)}(?![\d])", panel)]
        pairs = {(mention.form, strength) for mention, strength in forms_and_strengths(panel, default) if mention}
        pairs &= {(spec.form, spec.strength) for spec in specs}
        if len(named) == 1 and len(pairs) == 1:
            ndcs.setdefault(pairs.pop(), named[0])
    return ndcs
