"""A live guide whose drug class is still a draft (as openFDA imports make them) never shows that class."""

import json
import re

import pytest

from tests.factories import make_drug_class, make_medicine, make_product

pytestmark = pytest.mark.django_db


def test_a_draft_class_stays_out_of_the_page_the_api_the_jsonld_and_fhir(client, site_pages):
    draft_class = make_drug_class(site_pages["classes"], title="Unclassified imports")
    draft_class.unpublish()
    guide = make_medicine(site_pages["medicines"], draft_class, title="Baclofen")
    product = make_product(guide)

    page = client.get(guide.url).content.decode()
    assert "Unclassified imports" not in page
    (jsonld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "DrugClass" not in jsonld and json.loads(jsonld)
    assert client.get("/api/medicines/baclofen").json()["drug_class"] is None
    assert "Unclassified imports" not in client.get("/api/medicines").content.decode()
    fhir = client.get(f"/fhir/MedicationKnowledge/{product.pk}")
    assert fhir.status_code == 200 and "Unclassified imports" not in fhir.content.decode()

    draft_class.save_revision().publish()
    assert client.get("/api/medicines/baclofen").json()["drug_class"]["title"] == "Unclassified imports"
