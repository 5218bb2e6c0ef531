"""FHIR search of MedicationKnowledge: the parameters read, the products they select, the searchset Bundle."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from api.fhir.codes import (
    DOSE_FORM_SNOMED,
    DOSE_FORM_SYSTEM_NAME,
    NDC_SYSTEM,
    RXNORM_SYSTEM,
    SKU_SYSTEM_NAME,
    SNOMED_SYSTEM,
    local_system,
)
from api.fhir.mapping import medication_knowledge, published_products
from catalogue.models import DosageForm, Product

DEFAULT_COUNT = 20
MAX_COUNT = 100


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
