"""One product as an HL7 FHIR R4 ``MedicationKnowledge`` (a JSON-ready dict), and the products shown.

Mapping decisions:

- ``code``: the product's NDC product code, each pack's NDC package code and SKU (under
  ``SKU_SYSTEM``, this pharmacy's own identifier system) and the RxNorm code where known; the text
  is the product's name ("Baclofen 10 mg tablet").
- ``doseForm``: SNOMED CT dose forms (``DOSE_FORM_SNOMED``, each code checked against SNOMED CT
  browsers and the SNOMED editorial guide) plus our own code under ``DOSE_FORM_SYSTEM``. Oral
  granules have no SNOMED CT code we could check, so they carry our code and text only.
- R4 has a single ``packaging``: it describes the standard (smallest) pack, which ``amount`` also
  gives; every pack has its own ``cost`` ("pack of 90 tablets", the pharmacy as source, the price
  in ``PHARMACY_CURRENCY``).
- ``ingredient``: the generic name with its strength as a Ratio parsed from the label strength
  ("10 mg" is 10 mg per 1 tablet, "5 mg/5 mL" is 5 mg per 5 mL); a combination lists each active
  ingredient without a strength; a strength that does not parse is left out, never guessed.
- ``monograph``: a contained ``DocumentReference`` whose attachment is the guide's full URL.
- ``regulatory``: the catalogue is a US one (NDC, RxNorm, Controlled Substances Act schedules), so
  the legal status ("Prescription only") is a schedule under the FDA, and a controlled medicine
  has a second entry under the DEA with its schedule as text ("C-IV") and its code in the NCI
  Thesaurus (the codes of the FDA's "SPL DEA Schedule" data standard).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.html import escape

from api.fhir.codes import (
    CONTROLLED_SUBSTANCES_REGULATOR,
    DEA_SCHEDULE_CODES,
    DOSE_FORM_SNOMED,
    DOSE_FORM_SYSTEM_NAME,
    MASS_UNITS,
    MEDICINES_REGULATOR,
    NCI_THESAURUS_SYSTEM,
    NDC_SYSTEM,
    RXNORM_SYSTEM,
    SKU_SYSTEM_NAME,
    SNOMED_SYSTEM,
    UCUM_SYSTEM,
    UNIT_CODES,
    VOLUME_UNITS,
    local_system,
)
from catalogue.models import Pack, Product
from catalogue.strength import parse_strength
from medicines.models import ControlledSchedule, MedicinePage

# --- Which products, read efficiently -------------------------------------------------------------------------------


def published_products() -> QuerySet[Product]:
    """Products FHIR clients may see (active, of live public guides), with what the mapping reads.

    A fixed number of queries whatever the number of products: the guide and its class are
    joined, the packs are prefetched smallest first.
    """
    return (
        Product.objects.published()
        .select_related("medicine", "medicine__drug_class")
        .prefetch_related(Prefetch("packs", queryset=Pack.objects.order_by("units", "pk")))
        .order_by("medicine__title", "form", "strength", "pk")
    )


def product_packs(product: Product) -> list[Pack]:
    """The product's packs, smallest first, each knowing its product without another query."""
    packs = list(product.packs.all())
    for pack in packs:
        pack.product = product
    return packs


# --- The mapping: one product as a MedicationKnowledge -----------------------------------------------------------


def medication_knowledge(product: Product, request: HttpRequest) -> dict:
    """``product`` as an HL7 FHIR R4 MedicationKnowledge resource (a JSON-ready dict)."""
    medicine = product.medicine
    packs = product_packs(product)
    guide_url = medicine.get_full_url(request)
    resource = {
        "resourceType": "MedicationKnowledge",
        "id": str(product.pk),
        "text": narrative(product),
        "contained": [guide_document(medicine, guide_url)] if guide_url else [],
        "code": product_code(product, packs),
        "status": "active" if product.active else "inactive",
        "manufacturer": {"display": product.manufacturer} if product.manufacturer else None,
        "doseForm": dose_form(product),
        "amount": pack_quantity(packs[0]) if packs else None,
        "synonym": medicine.brand_name_list,
        "medicineClassification": [
            {"type": {"text": "Drug class"}, "classification": [{"text": medicine.published_class.title}]}
        ]
        if medicine.published_class
        else [],
        "packaging": {"type": {"text": "Pack"}, "quantity": pack_quantity(packs[0])} if packs else None,
        "ingredient": ingredients(product),
        "monograph": [guide_monograph(medicine)] if guide_url else [],
        "cost": [pack_cost(pack) for pack in packs],
        "regulatory": regulatory(medicine),
    }
    return {key: value for key, value in resource.items() if value not in (None, [], {})}


def narrative(product: Product) -> dict:
    """The human-readable summary FHIR asks every resource to carry (escaped XHTML)."""
    return {
        "status": "generated",
        "div": (
            '<div xmlns="http://www.w3.org/1999/xhtml">'
            f"<p><b>{escape(str(product))}</b></p><p>{escape(product.medicine.legal_status_label)}</p></div>"
        ),
    }


def product_code(product: Product, packs: list[Pack]) -> dict:
    """The product's codes: NDC (product and packages), this pharmacy's SKUs, RxNorm."""
    coding = []
    if product.ndc_product_code:
        coding.append({"system": NDC_SYSTEM, "code": product.ndc_product_code, "display": str(product)})
    for pack in packs:
        if pack.ndc:
            coding.append({"system": NDC_SYSTEM, "code": pack.ndc, "display": pack_display(pack)})
        coding.append({"system": local_system(SKU_SYSTEM_NAME), "code": pack.sku, "display": pack_display(pack)})
    if product.rxnorm_code:
        coding.append({"system": RXNORM_SYSTEM, "code": product.rxnorm_code})
    return {"coding": coding, "text": str(product)}


def pack_display(pack: Pack) -> str:
    return f"{pack.product}, pack of {pack.size_label}"


def dose_form(product: Product) -> dict:
    """The form as SNOMED CT (where mapped) and as our own code, with its label as text."""
    label = product.get_form_display()
    coding = []
    if product.form in DOSE_FORM_SNOMED:
        code, display = DOSE_FORM_SNOMED[product.form]
        coding.append({"system": SNOMED_SYSTEM, "code": code, "display": display})
    coding.append({"system": local_system(DOSE_FORM_SYSTEM_NAME), "code": product.form, "display": label})
    return {"coding": coding, "text": label}


def quantity(value: Decimal | int, unit: str, system_and_code: tuple[str, str] | None = None) -> dict:
    """A FHIR Quantity; coded only when the unit has a code (a code needs its system)."""
    result = {"value": value, "unit": unit}
    if system_and_code:
        result["system"], result["code"] = system_and_code
    return result


def pack_quantity(pack: Pack) -> dict:
    """How much a pack holds: "30 tablets", "150 mL"."""
    product = pack.product
    unit = product.unit_name if pack.units == 1 else product.unit_name_plural
    return quantity(pack.units, unit, UNIT_CODES.get(product.unit_name))


def pack_cost(pack: Pack) -> dict:
    return {
        "type": {"text": f"pack of {pack.size_label}"},
        "source": settings.WAGTAIL_SITE_NAME,
        "cost": {"value": pack.price, "currency": settings.PHARMACY_CURRENCY},
    }


def strength_ratio(product: Product) -> dict | None:
    """The label strength as a Ratio: "10 mg" is 10 mg per 1 tablet, "5 mg/5 mL" is 5 mg per 5 mL.

    None when the strength is not an amount of substance per unit or per volume that we can read
    (a liquid's strength without its volume, say): better no strength than a wrong one.
    """
    strength = parse_strength(product.strength)
    if not strength or strength.unit.lower() not in MASS_UNITS:
        return None
    numerator = quantity(Decimal(strength.amount), strength.unit, (UCUM_SYSTEM, MASS_UNITS[strength.unit.lower()]))
    if strength.per_unit:
        if strength.per_unit.lower() not in VOLUME_UNITS:
            return None
        per_amount = Decimal(strength.per_amount or "1")
        denominator = quantity(per_amount, strength.per_unit, (UCUM_SYSTEM, VOLUME_UNITS[strength.per_unit.lower()]))
    elif product.unit_name == "mL":
        return None
    else:
        denominator = quantity(1, product.unit_name, UNIT_CODES.get(product.unit_name))
    return {"numerator": numerator, "denominator": denominator}


def ingredients(product: Product) -> list[dict]:
    """The active ingredient by its generic name with the strength; a combination's each by name."""
    medicine = product.medicine
    names = medicine.ingredient_list
    if len(names) > 1:
        return [{"itemCodeableConcept": {"text": name}, "isActive": True} for name in names]
    ingredient = {"itemCodeableConcept": {"text": medicine.generic_name}, "isActive": True}
    ratio = strength_ratio(product)
    if ratio:
        ingredient["strength"] = ratio
    return [ingredient]


def guide_monograph(medicine: MedicinePage) -> dict:
    """The monograph entry pointing at the contained guide document."""
    return {"type": {"text": "Medicine guide"}, "source": {"reference": "#guide", "display": medicine.title}}


def guide_document(medicine: MedicinePage, guide_url: str) -> dict:
    """The guide as a contained DocumentReference, the target of ``monograph.source``."""
    return {
        "resourceType": "DocumentReference",
        "id": "guide",
        "status": "current",
        "description": f"{medicine.title}: the pharmacy's medicine guide",
        "content": [{"attachment": {"contentType": "text/html", "url": guide_url, "title": medicine.title}}],
    }


def regulatory(medicine: MedicinePage) -> list[dict]:
    """The legal status under the FDA and, for a controlled medicine, its schedule under the DEA."""
    entries = [
        {
            "regulatoryAuthority": {"display": MEDICINES_REGULATOR},
            "schedule": [{"schedule": {"text": medicine.get_legal_status_display()}}],
        }
    ]
    if medicine.controlled_schedule:
        schedule = ControlledSchedule(medicine.controlled_schedule)
        entries.append(
            {
                "regulatoryAuthority": {"display": CONTROLLED_SUBSTANCES_REGULATOR},
                "schedule": [
                    {
                        "schedule": {
                            "coding": [
                                {
                                    "system": NCI_THESAURUS_SYSTEM,
                                    "code": DEA_SCHEDULE_CODES[schedule],
                                    "display": schedule.label,
                                }
                            ],
                            "text": f"C-{schedule.value}",
                        }
                    }
                ],
            }
        )
    return entries
