"""The FHIR endpoints over HTTP: read-only, ``application/fhir+json``, errors as OperationOutcomes."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from api.fhir.mapping import medication_knowledge, published_products
from api.fhir.search import SearchError, parse_search, search_bundle

FHIR_CONTENT_TYPE = "application/fhir+json; fhirVersion=4.0"


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
