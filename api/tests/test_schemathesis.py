"""Acceptance 1: the OpenAPI document is valid, and schemathesis run against every operation finds no 5xx and
no answer that breaks the document (status codes, content types, JSON shapes).

The requests go through Django's own WSGI application, inside the test's database transaction, with a bounded,
derandomised number of examples per operation (valid and invalid inputs), plus each detail operation called for a
thing that exists so its 200 answer is checked too.
"""

from __future__ import annotations

from contextlib import contextmanager

import jsonschema_rs
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.tests.conftest import bearer

pytestmark = pytest.mark.django_db

EXAMPLES_PER_MODE = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@contextmanager
def same_connection():
    """Keep the test's database connection across WSGI requests, as Django's test client does.

    Django closes "old" connections when a request starts and ends; inside the test's transaction that would
    throw the test data away.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run_operation(operation, headers: dict, mode: GenerationMode, **fixed) -> None:
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # The token goes into the case itself, so that schemathesis knows the headers are valid: a negative case
        # whose header was the invalid part (no Authorization) is then judged by what is left invalid in it.
        case.headers = {**(case.headers or {}), **headers}
        case.call_and_validate(checks=checks)

    check()


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(
    catalogue, private_order_in_review, make_token, settings
):
    settings.API_RATE_LIMIT = 0  # the run makes hundreds of requests from one address
    settings.API_STAFF_RATE_LIMIT = 0
    _, raw = make_token()
    headers = {"Authorization": bearer(raw)["HTTP_AUTHORIZATION"]}
    sku = catalogue["tablets"].packs.get(units=30).sku
    # A request each detail and write operation answers with 200, so that answer is checked too.
    existing = {
        "/api/medicines/{slug}": {"path_parameters": {"slug": "baclofen"}},
        "/api/classes/{slug}": {"path_parameters": {"slug": "muscle-relaxants"}},
        "/api/articles/{slug}": {"path_parameters": {"slug": "stopping-baclofen-safely"}},
        "/api/products/{product_id}": {"path_parameters": {"product_id": catalogue["tablets"].pk}},
        "/api/staff/stock-and-prices": {"body": {"rows": [{"sku": sku, "price": "14.00", "stock": 5}]}},
    }

    with same_connection():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
        schema.validate()  # the document against the OpenAPI 3.1 meta-schema
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 11
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                run_operation(operation, headers, mode)
            if operation.path in existing:
                case = operation.Case(**existing[operation.path], media_type="application/json")
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                assert response.status_code == 200, operation.path


def test_an_invalid_document_would_be_caught(db):
    """The validation above is real: a document breaking the OpenAPI meta-schema is refused."""
    from api.urls import api

    document = api.get_openapi_schema()
    document["paths"]["/api/medicines"]["get"]["responses"] = "none"
    with pytest.raises(jsonschema_rs.ValidationError):
        schemathesis.openapi.from_dict(document).validate()
