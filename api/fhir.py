"""HL7 FHIR R4 ``MedicationKnowledge`` for each product on sale, read-only, at /fhir/.

GET (and HEAD) only, answering ``application/fhir+json; fhirVersion=4.0``:

- ``/fhir/metadata``: the ``CapabilityStatement`` (read and search of MedicationKnowledge);
- ``/fhir/MedicationKnowledge/{id}``: one product (``id`` is the product's primary key);
- ``/fhir/MedicationKnowledge``: a ``Bundle`` of type ``searchset`` with ``total`` and
  ``self``/``first``/``previous``/``next``/``last`` links, searchable by
  ``code`` (NDC product code, pack NDC, SKU or RxNorm code; ``system|code`` accepted),
  ``doseform`` (our ``DosageForm`` code or the SNOMED CT code below; ``system|code`` accepted),
  ``status`` (``active``/``inactive``), paged by ``_count`` (at most ``MAX_COUNT``) and ``page``.
  Commas mean OR within a parameter, a repeated parameter means AND, as in FHIR search.

Only active products of live, public guides are shown: an inactive product, or one of a draft
guide, is unknown here (404, and never in a bundle, so ``status=inactive`` finds nothing).
Unknown ids and paths answer 404, bad or unknown search parameters 400, other methods 405, each
with an ``OperationOutcome``. Nothing private is in a product, and nothing here reads comments,
orders or customers.

The resources are plain dicts built by the functions below (no runtime FHIR library). The tests
validate them with ``fhir.resources.R4B`` (the installed fhir.resources 8.3 offers R5, R4B and
STU3 but no R4 package; R4B's MedicationKnowledge and Bundle have the same elements as R4's).

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

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from catalogue.models import DosageForm, Pack, Product
from medicines.models import ControlledSchedule, MedicinePage

app_name = "fhir"

FHIR_CONTENT_TYPE = "application/fhir+json; fhirVersion=4.0"
DEFAULT_COUNT = 20
MAX_COUNT = 100

NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED_SYSTEM = "http://snomed.info/sct"
UCUM_SYSTEM = "http://unitsofmeasure.org"
NCI_THESAURUS_SYSTEM = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"

MEDICINES_REGULATOR = "U.S. Food and Drug Administration"
CONTROLLED_SUBSTANCES_REGULATOR = "U.S. Drug Enforcement Administration"

# SNOMED CT pharmaceutical dose forms (code, preferred term).
DOSE_FORM_SNOMED = {
    DosageForm.TABLET: ("421026006", "Oral tablet"),
    DosageForm.ODT: ("447079001", "Orodispersible tablet"),
    DosageForm.EXTENDED_RELEASE_TABLET: ("385060002", "Prolonged-release oral tablet"),
    DosageForm.CAPSULE: ("420692007", "Oral capsule"),
    DosageForm.EXTENDED_RELEASE_CAPSULE: ("385053008", "Prolonged-release oral capsule"),
    DosageForm.ORAL_SOLUTION: ("385023001", "Oral solution"),
    DosageForm.ORAL_SUSPENSION: ("385024007", "Oral suspension"),
}

# The unit a pack is counted in (catalogue.models.UNIT_NAMES), coded where a code could be checked:
# SNOMED CT units of presentation for tablets and capsules, UCUM for millilitres; packets are text only.
UNIT_CODES = {
    "tablet": (SNOMED_SYSTEM, "732936001"),
    "capsule": (SNOMED_SYSTEM, "732937005"),
    "mL": (UCUM_SYSTEM, "mL"),
}

# Units a label strength is written in (lower case), with their UCUM codes.
MASS_UNITS = {"mg": "mg", "g": "g", "mcg": "ug", "µg": "ug", "μg": "ug", "ug": "ug"}
VOLUME_UNITS = {"ml": "mL", "l": "L"}
STRENGTH_PATTERN = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[^\s\d/]+)"
    r"(?:\s*/\s*(?P<per_amount>\d+(?:\.\d+)?)?\s*(?P<per_unit>[^\s\d/]+))?\s*$"
)

# FDA "SPL DEA Schedule" data standard: the NCI Thesaurus code of each schedule.
DEA_SCHEDULE_CODES = {
    ControlledSchedule.SCHEDULE_II: "C48675",
    ControlledSchedule.SCHEDULE_III: "C48676",
    ControlledSchedule.SCHEDULE_IV: "C48677",
    ControlledSchedule.SCHEDULE_V: "C48679",
}


def local_system(name: str) -> str:
    """A code system URI of this pharmacy's own, under its public base URL."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/sid/{name}"


SKU_SYSTEM_NAME = "sku"
DOSE_FORM_SYSTEM_NAME = "dose-form"


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
    match = STRENGTH_PATTERN.match(product.strength)
    if not match or match["unit"].lower() not in MASS_UNITS:
        return None
    numerator = quantity(Decimal(match["amount"]), match["unit"], (UCUM_SYSTEM, MASS_UNITS[match["unit"].lower()]))
    if match["per_unit"]:
        if match["per_unit"].lower() not in VOLUME_UNITS:
            return None
        per_amount = Decimal(match["per_amount"] or "1")
        denominator = quantity(per_amount, match["per_unit"], (UCUM_SYSTEM, VOLUME_UNITS[match["per_unit"].lower()]))
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


# --- Search ---------------------------------------------------------------------------------------------------------


class SearchError(ValueError):
    """A search parameter we cannot honour; ``issue`` is the FHIR issue type."""

    def __init__(self, message: str, issue: str = "value"):
        super().__init__(message)
        self.issue = issue


SEARCH_PARAMETERS = {"code", "doseform", "status", "_count", "page", "_format"}
JSON_FORMATS = {"json", "application/json", "application/fhir+json"}
STATUSES = {"active": True, "inactive": False}


@dataclass
class Search:
    """A parsed search: the product filters (ANDed), the page size and the page number."""

    filters: list[Q] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    page: int = 1

    def apply(self, products: QuerySet[Product]) -> QuerySet[Product]:
        for condition in self.filters:
            products = products.filter(pk__in=Product.objects.filter(condition).values("pk"))
        return products


def parse_search(params: QueryDict) -> Search:
    """The search the query string asks for, or a SearchError naming the parameter at fault."""
    unknown = sorted(set(params) - SEARCH_PARAMETERS)
    if unknown:
        raise SearchError(
            f"Unknown search parameter {unknown[0]!r}; this server supports {', '.join(sorted(SEARCH_PARAMETERS))}.",
            issue="not-supported",
        )
    if any("\x00" in value for _, values in params.lists() for value in values):
        raise SearchError("A search parameter contains a NUL character.")
    search = Search()
    for name, parse in (("code", code_condition), ("doseform", dose_form_condition), ("status", status_condition)):
        for value in params.getlist(name):
            search.filters.append(parse(split_values(name, value)))
    search.count = min(single_integer(params, "_count", DEFAULT_COUNT, minimum=0), MAX_COUNT)
    search.page = single_integer(params, "page", 1, minimum=1)
    formats = params.getlist("_format")
    if formats and (len(formats) > 1 or formats[0] not in JSON_FORMATS):
        raise SearchError("Only JSON is served here: leave out _format or use _format=json.", issue="not-supported")
    return search


def split_values(name: str, value: str) -> list[str]:
    values = [item.strip() for item in value.split(",")]
    if not all(values):
        raise SearchError(f"The {name!r} parameter has an empty value.")
    return values


def split_token(value: str) -> tuple[str | None, str]:
    """A FHIR token: ``system|code``, ``|code`` (no system) or ``code`` (any system)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def code_condition(values: list[str]) -> Q:
    """Products with any of the codes: NDC product or package code, SKU, RxNorm."""
    by_system = {
        NDC_SYSTEM: lambda code: Q(ndc_product_code=code) | Q(packs__ndc=code),
        local_system(SKU_SYSTEM_NAME): lambda code: Q(packs__sku=code),
        RXNORM_SYSTEM: lambda code: Q(rxnorm_code=code),
    }
    condition = Q(pk__in=[])
    for value in values:
        system, code = split_token(value)
        if not code:
            raise SearchError(f"The code {value!r} has no code after its system.")
        if system is None:
            for matches in by_system.values():
                condition |= matches(code)
        elif system in by_system:
            condition |= by_system[system](code)
    return condition


def dose_form_condition(values: list[str]) -> Q:
    """Products of any of the forms, named by our code or by their SNOMED CT code."""
    ours = set(DosageForm.values)
    snomed = {code: form for form, (code, _) in DOSE_FORM_SNOMED.items()}
    forms = []
    for value in values:
        system, code = split_token(value)
        if system in (None, local_system(DOSE_FORM_SYSTEM_NAME)) and code in ours:
            forms.append(code)
        elif system in (None, SNOMED_SYSTEM) and code in snomed:
            forms.append(snomed[code])
        else:
            accepted = ", ".join(sorted(ours) + sorted(snomed))
            raise SearchError(f"Unknown dose form {value!r}; use one of {accepted}.", issue="code-invalid")
    return Q(form__in=forms)


def status_condition(values: list[str]) -> Q:
    for value in values:
        if value not in STATUSES:
            raise SearchError(f"Unknown status {value!r}; use active or inactive.", issue="code-invalid")
    return Q(active__in=[STATUSES[value] for value in values])


def single_integer(params: QueryDict, name: str, default: int, *, minimum: int) -> int:
    values = params.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise SearchError(f"The {name!r} parameter is given more than once.")
    if not re.fullmatch(r"[0-9]{1,9}", values[0]) or int(values[0]) < minimum:
        raise SearchError(f"The {name!r} parameter must be a whole number of at least {minimum}, not {values[0]!r}.")
    return int(values[0])


def search_bundle(request: HttpRequest, search: Search) -> dict:
    """The searchset Bundle for one page of the search, with its paging links."""
    products = search.apply(published_products())
    total = products.count()
    start = (search.page - 1) * search.count
    page_products = list(products[start : start + search.count]) if search.count else []
    last_page = max(1, -(-total // search.count)) if search.count else 1
    links = [("self", search.page), ("first", 1)]
    if search.page > 1:
        links.append(("previous", min(search.page - 1, last_page)))
    if search.count and start + search.count < total:
        links.append(("next", search.page + 1))
    links.append(("last", last_page))
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": page_url(request, page)} for relation, page in links],
    }
    if page_products:  # FHIR JSON has no empty arrays
        bundle["entry"] = [
            {
                "fullUrl": request.build_absolute_uri(reverse("fhir:medicationknowledge-read", args=[product.pk])),
                "resource": medication_knowledge(product, request),
                "search": {"mode": "match"},
            }
            for product in page_products
        ]
    return bundle


def page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}")


# --- HTTP -------------------------------------------------------------------------------------------------------------


class FhirJSONEncoder(json.JSONEncoder):
    """Decimals as JSON numbers, as FHIR's decimal type is (whole numbers without a point)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


def fhir_response(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(payload, cls=FhirJSONEncoder), content_type=FHIR_CONTENT_TYPE, status=status)


def operation_outcome(status: int, issue: str, message: str) -> HttpResponse:
    """An error as FHIR says to give one: an OperationOutcome with the HTTP status."""
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": issue, "diagnostics": message}],
    }
    return fhir_response(outcome, status=status)


def read_only(view):
    """GET and HEAD only; anything else is a 405 OperationOutcome (CSRF has nothing to guard here)."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = operation_outcome(405, "not-supported", f"{request.method} is not supported: this is read-only.")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


@read_only
def medication_knowledge_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    """One product's MedicationKnowledge, or a 404 OperationOutcome."""
    product = None
    if re.fullmatch(r"[0-9]{1,18}", resource_id):
        product = published_products().filter(pk=int(resource_id)).first()
    if product is None:
        return operation_outcome(404, "not-found", f"MedicationKnowledge/{resource_id} is not known here.")
    return fhir_response(medication_knowledge(product, request))


@read_only
def medication_knowledge_search(request: HttpRequest) -> HttpResponse:
    """The searchset Bundle, or a 400 OperationOutcome naming the parameter at fault."""
    try:
        search = parse_search(request.GET)
    except SearchError as error:
        return operation_outcome(400, error.issue, str(error))
    return fhir_response(search_bundle(request, search))


SEARCH_PARAMETER_DOCS = {
    "code": "NDC product or package code, SKU or RxNorm code; system|code or code",
    "doseform": "The dose form: our code (e.g. tablet) or its SNOMED CT code",
    "status": "active or inactive",
}


def capability_statement(request: HttpRequest) -> dict:
    """What this server does: read and search MedicationKnowledge, in JSON."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": settings.WAGTAIL_SITE_NAME,
        "kind": "instance",
        "software": {"name": "Apothecary"},
        "implementation": {
            "description": f"{settings.WAGTAIL_SITE_NAME}: the pharmacy's catalogue as MedicationKnowledge",
            "url": request.build_absolute_uri(reverse("fhir:fhir-metadata")).removesuffix("/metadata"),
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {
                        "type": "MedicationKnowledge",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": name, "type": "token", "documentation": text}
                            for name, text in SEARCH_PARAMETER_DOCS.items()
                        ],
                    }
                ],
            }
        ],
    }


@read_only
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement FHIR clients ask for first."""
    return fhir_response(capability_statement(request))


@csrf_exempt
def unknown_endpoint(request: HttpRequest) -> HttpResponse:
    return operation_outcome(404, "not-found", "Only metadata and MedicationKnowledge are served here.")


urlpatterns = [
    path("metadata", metadata, name="fhir-metadata"),
    re_path(r"^MedicationKnowledge/?$", medication_knowledge_search, name="medicationknowledge-search"),
    path("MedicationKnowledge/<str:resource_id>", medication_knowledge_read, name="medicationknowledge-read"),
    re_path(r"", unknown_endpoint, name="unknown"),
]
