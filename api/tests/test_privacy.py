"""Acceptance 6: no endpoint leaks e-mail addresses, postal addresses or prescription data.

The test fills the database with private data of every kind (commenters' e-mail and IP addresses, a customer's
address book and order address, a prescription file and a prescriber's details, a patient's date of birth and
allergies, staff e-mail addresses), then walks every GET operation of the OpenAPI document, following every
address under /api/ and /fhir/ the answers link to (details, pages of lists), plus the staff endpoints with a
valid token and the FHIR endpoints, and looks for each private value in every answer.
"""

from __future__ import annotations

import json
import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from api.tests.conftest import bearer
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
MAX_REQUESTS = 400


@pytest.fixture
def private_data(catalogue, private_order_in_review, make_token):
    """Every kind of private value, kept where the site keeps it; returns the values that must never appear."""
    from accounts.models import Address
    from discussion import services as discussion
    from prescriptions import services as prescription_services

    moderator = make_user("moderator.private@example.com", is_staff=True, is_superuser=True)
    approved = discussion.post_comment(
        catalogue["medicine"],
        name="Casey",
        email="casey.commenter@example.com",
        body="Does it make you sleepy?",
        ip_address="198.51.100.77",
    )
    discussion.approve([approved], moderator)
    discussion.post_comment(
        catalogue["article"],
        name="Drew",
        email="drew.pending@example.com",
        body="Waiting for a moderator.",
        ip_address="198.51.100.78",
    )
    patient = private_order_in_review.customer
    Address.objects.create(
        user=patient,
        full_name="Robin Patel",
        line1="42 Hidden Lane",
        city="Hiddenville",
        postcode="90210-4242",
        phone="+1 555 0199 777",
        is_default=True,
    )
    other_prescription = prescription_services.submit_prescription(
        patient, prescriber_name="Dr Quill Private", prescriber_contact="Quill Practice, +1 555 0100 333"
    )
    uploaded = private_order_in_review.prescription
    _, raw_token = make_token()
    return {
        "raw_token": raw_token,
        "values": [
            "casey.commenter@example.com",
            "drew.pending@example.com",
            "198.51.100.77",
            "198.51.100.78",
            "Waiting for a moderator.",  # a pending comment is not public either
            private_order_in_review.email,
            private_order_in_review.line1,  # the order's delivery address
            private_order_in_review.full_name,
            "42 Hidden Lane",
            "Hiddenville",
            "90210-4242",
            "555 0199 777",
            "1961-02-03",  # the patient's date of birth
            "sulfamethoxazole",  # the patient's allergies
            uploaded.original_filename,
            uploaded.file.name,
            "Dr Quill Private",
            other_prescription.prescriber_contact,
            "reviewer@example.com",  # the guide's reviewer, shown by name only
            "api-owner@example.com",  # the token's owner
            "moderator.private@example.com",
            raw_token,
        ],
    }


def templated(path: str) -> bool:
    return "{" in path


def api_links(value, found: set[str]) -> None:
    """Every address under /api/ or /fhir/ that an answer mentions."""
    if isinstance(value, dict):
        for item in value.values():
            api_links(item, found)
    elif isinstance(value, list):
        for item in value:
            api_links(item, found)
    elif isinstance(value, str) and value.startswith(("http://", "https://", "/")):
        parts = urlsplit(value)
        if parts.path.startswith(("/api/", "/fhir/")):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))


def fhir_links(body, found: set[str]) -> None:
    """A FHIR bundle's entries as read addresses, and its paging links."""
    if not isinstance(body, dict):
        return
    for entry in body.get("entry", []):
        resource = entry.get("resource", {})
        if resource.get("resourceType") and resource.get("id"):
            found.add(f"/fhir/{resource['resourceType']}/{resource['id']}")


def first_urls(get_paths: list[str]) -> list[str]:
    """Where the walk starts: every GET operation without parameters in its path (searches for private words
    too), the API's root and the FHIR bundle."""
    urls = ["/api/", "/fhir/MedicationKnowledge", "/fhir/MedicationKnowledge?_count=100"]
    for path in get_paths:
        if path == "/api/search":
            urls += [f"{path}?q={words}" for words in SEARCHES]
        elif not templated(path):
            urls.append(f"{path}?page_size=100")
    return urls


SEARCHES = ["baclofen", "Robin", "Hidden+Lane", "sulfamethoxazole", "casey", "Quill", "moderator"]


def test_no_endpoint_leaks_private_data(client, private_data):
    document = client.get("/api/openapi.json").json()
    get_paths = [path for path, operations in document["paths"].items() if "get" in operations]
    staff_headers = bearer(private_data["raw_token"])
    queue = deque(first_urls(get_paths))
    statuses: dict[str, int] = {}
    answers: dict[str, str] = {}
    while queue and len(answers) < MAX_REQUESTS:
        url = queue.popleft()
        if url in answers:
            continue
        response = client.get(url, **(staff_headers if url.startswith("/api/staff/") else {}))
        assert response.status_code < 500, url
        statuses[url], answers[url] = response.status_code, response.content.decode()
        if response.status_code == 200 and "json" in response["Content-Type"]:
            found: set[str] = set()
            body = json.loads(answers[url])
            api_links(body, found)
            fhir_links(body, found)
            queue.extend(sorted(found - set(answers)))

    # The staff API's POST answer too.
    sku = client.get("/api/products?page_size=1").json()["items"][0]["packs"][0]["sku"]
    answers["POST /api/staff/stock-and-prices"] = client.post(
        "/api/staff/stock-and-prices",
        {"rows": [{"sku": sku, "stock": 3}]},
        content_type="application/json",
        **staff_headers,
    ).content.decode()

    # Every GET operation, the staff queue and a FHIR resource were answered with real content.
    reached = {urlsplit(url).path for url, status in statuses.items() if status == 200}
    for path in get_paths + ["/fhir/MedicationKnowledge/{id}"]:
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        assert any(pattern.match(visited) for visited in reached), f"the walk never reached {path}"
    assert '"number"' in answers["/api/staff/orders/awaiting-review?page_size=100"]

    for url, text in answers.items():
        for value in private_data["values"]:
            assert value not in text, f"{value!r} leaked by {url}"
        leaked = EMAIL.search(text)
        assert leaked is None, f"an e-mail address leaked by {url}: {leaked and leaked.group(0)}"
