"""The FHIR endpoints: each product as an R4 MedicationKnowledge, the searchset Bundle, and the errors.

Every resource is validated with ``fhir.resources.R4B`` (fhir.resources 8 has no R4 package; R4B's
MedicationKnowledge and Bundle have R4's elements). Unknown elements fail validation, so an R5-only
element or a misspelt one would fail these tests.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.medicationknowledge import MedicationKnowledge
from fhir.resources.R4B.operationoutcome import OperationOutcome

from api.fhir import codes, mapping
from api.fhir import search as fhir_search
from catalogue.models import DosageForm, Pack, Product
from medicines.models import LegalStatus, MedicinePage
from tests.factories import approve, make_medicine, make_product

SEARCH = "/fhir/MedicationKnowledge"
CONTENT_TYPE = "application/fhir+json; fhirVersion=4.0"


def read(client, url, expect=200, **params):
    """GET ``url``; check the HTTP status and the FHIR content type; return the JSON body."""
    response = client.get(url, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == CONTENT_TYPE
    return response.json()


def search(client, expect=200, **params):
    return read(client, SEARCH, expect, **params)


def outcome(client, url, expect, **params):
    """The OperationOutcome of an error answer, validated, and its one issue."""
    body = read(client, url, expect, **params)
    OperationOutcome.model_validate(body)
    assert body["issue"][0]["severity"] == "error"
    return body["issue"][0]


def codings(concept, system):
    return [coding["code"] for coding in concept.get("coding", []) if coding["system"] == system]


def sku_system():
    return codes.local_system(codes.SKU_SYSTEM_NAME)


def walk_bundle(client, **params) -> list[dict]:
    """Every entry of a search, following the ``next`` links; each page validated as a Bundle."""
    entries, url, query = [], SEARCH, params
    while url:
        body = read(client, url, **query)
        Bundle.model_validate(body)
        entries += body.get("entry", [])
        url = next((link["url"] for link in body["link"] if link["relation"] == "next"), None)
        query = {}
    return entries


@pytest.fixture
def fhir_products(site_pages, drug_class, medicine):
    """Products of several forms and strengths, with and without codes, a controlled medicine, and
    products that must not be shown (inactive; of a draft guide). The NDC and RxNorm codes are made up."""
    tablet = make_product(medicine, "10 mg", packs=((30, "15.30", 10), (90, "41.40", 0)))
    tablet.ndc_product_code, tablet.rxnorm_code, tablet.manufacturer = "99999-0010", "9990010", "Test Labs"
    tablet.save()
    Pack.objects.filter(product=tablet, units=30).update(ndc="99999-0010-30")
    approve(tablet)  # a new NDC: a pharmacist approves it
    solution = make_product(medicine, "5 mg/5 mL", DosageForm.ORAL_SOLUTION, packs=((150, "24.00", 5),))
    odt = make_product(medicine, "10 mg", DosageForm.ODT, packs=((60, "30.00", 2),))
    granules = make_product(medicine, "5 mg", DosageForm.GRANULES, packs=((30, "20.00", 3),))
    carisoprodol = make_medicine(
        site_pages["medicines"],
        drug_class,
        "Carisoprodol",
        legal_status=LegalStatus.CONTROLLED,
        controlled_schedule="IV",
    )
    controlled = make_product(carisoprodol, "350 mg", packs=((28, "9.80", 20),))
    capsule_medicine = make_medicine(site_pages["medicines"], drug_class, "Cyclobenzaprine")
    er_capsule = make_product(capsule_medicine, "15 mg", DosageForm.EXTENDED_RELEASE_CAPSULE, packs=((30, "60.00", 4),))
    inactive = make_product(medicine, "20 mg", packs=((30, "21.00", 20),))
    inactive.active = False
    inactive.save()
    draft_medicine = make_medicine(site_pages["medicines"], drug_class, "Dantrolene")
    draft = make_product(draft_medicine, "25 mg", DosageForm.CAPSULE, packs=((30, "24.00", 15),))
    draft_medicine.unpublish()
    return dict(
        tablet=tablet,
        solution=solution,
        odt=odt,
        granules=granules,
        controlled=controlled,
        er_capsule=er_capsule,
        inactive=inactive,
        draft=draft,
    )


def shown(fhir_products) -> set[str]:
    return {
        str(fhir_products[name].pk) for name in ("tablet", "solution", "odt", "granules", "controlled", "er_capsule")
    }


# --- Each product's resource ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_shown_product_validates_as_a_medication_knowledge(client, fhir_products):
    for pk in shown(fhir_products):
        body = read(client, f"{SEARCH}/{pk}")
        MedicationKnowledge.model_validate(body)
        assert body["id"] == pk and body["status"] == "active"


@pytest.mark.django_db
def test_a_tablet_with_codes_maps_every_element(client, fhir_products, medicine, settings):
    settings.PHARMACY_CURRENCY = "EUR"
    tablet = fhir_products["tablet"]
    body = read(client, f"{SEARCH}/{tablet.pk}")
    MedicationKnowledge.model_validate(body)
    packs = list(tablet.packs.order_by("units"))

    assert body["code"]["text"] == "Baclofen 10 mg tablet"
    assert codings(body["code"], codes.NDC_SYSTEM) == ["99999-0010", "99999-0010-30"]
    assert codings(body["code"], codes.RXNORM_SYSTEM) == ["9990010"]
    assert codings(body["code"], sku_system()) == [pack.sku for pack in packs]
    assert body["manufacturer"] == {"display": "Test Labs"}
    assert body["synonym"] == ["Lioresal (UK)", "Ozobax"]
    assert body["medicineClassification"][0]["classification"][0]["text"] == "Muscle relaxants"

    assert codings(body["doseForm"], codes.SNOMED_SYSTEM) == ["421026006"]
    assert codings(body["doseForm"], codes.local_system(codes.DOSE_FORM_SYSTEM_NAME)) == ["tablet"]
    assert body["doseForm"]["text"] == "Tablet"

    thirty = {"value": 30, "unit": "tablets", "system": codes.SNOMED_SYSTEM, "code": "732936001"}
    assert body["amount"] == thirty
    assert body["packaging"] == {"type": {"text": "Pack"}, "quantity": thirty}
    assert body["cost"] == [
        {"type": {"text": "pack of 30 tablets"}, "source": "Apothecary", "cost": {"value": 15.3, "currency": "EUR"}},
        {"type": {"text": "pack of 90 tablets"}, "source": "Apothecary", "cost": {"value": 41.4, "currency": "EUR"}},
    ]

    (ingredient,) = body["ingredient"]
    assert ingredient["itemCodeableConcept"] == {"text": "baclofen"}
    assert ingredient["strength"] == {
        "numerator": {"value": 10, "unit": "mg", "system": codes.UCUM_SYSTEM, "code": "mg"},
        "denominator": {"value": 1, "unit": "tablet", "system": codes.SNOMED_SYSTEM, "code": "732936001"},
    }

    (document,) = body["contained"]
    assert document["resourceType"] == "DocumentReference" and document["id"] == "guide"
    assert document["content"][0]["attachment"]["url"] == medicine.get_full_url()
    assert body["monograph"][0]["source"]["reference"] == "#guide"

    (regulatory,) = body["regulatory"]
    assert regulatory["regulatoryAuthority"]["display"] == codes.MEDICINES_REGULATOR
    assert regulatory["schedule"] == [{"schedule": {"text": "Prescription only"}}]


@pytest.mark.django_db
def test_a_liquid_without_codes_has_its_strength_per_volume_and_no_ndc_or_rxnorm(client, fhir_products):
    body = read(client, f"{SEARCH}/{fhir_products['solution'].pk}")
    MedicationKnowledge.model_validate(body)
    assert codings(body["code"], codes.NDC_SYSTEM) == [] and codings(body["code"], codes.RXNORM_SYSTEM) == []
    assert len(codings(body["code"], sku_system())) == 1
    assert "manufacturer" not in body
    assert codings(body["doseForm"], codes.SNOMED_SYSTEM) == ["385023001"]
    assert body["amount"] == {"value": 150, "unit": "mL", "system": codes.UCUM_SYSTEM, "code": "mL"}
    assert body["ingredient"][0]["strength"] == {
        "numerator": {"value": 5, "unit": "mg", "system": codes.UCUM_SYSTEM, "code": "mg"},
        "denominator": {"value": 5, "unit": "mL", "system": codes.UCUM_SYSTEM, "code": "mL"},
    }


@pytest.mark.django_db
def test_dose_forms_map_to_snomed_ct_except_granules_which_stay_text(client, fhir_products):
    expected = {"odt": ["447079001"], "er_capsule": ["385053008"], "controlled": ["421026006"], "granules": []}
    for name, snomed in expected.items():
        body = read(client, f"{SEARCH}/{fhir_products[name].pk}")
        assert codings(body["doseForm"], codes.SNOMED_SYSTEM) == snomed, name
    granules = read(client, f"{SEARCH}/{fhir_products['granules'].pk}")
    assert granules["doseForm"]["text"] == "Oral granules"
    assert granules["amount"] == {"value": 30, "unit": "packets"}  # no code: none could be checked
    assert granules["ingredient"][0]["strength"]["denominator"] == {"value": 1, "unit": "packet"}


@pytest.mark.django_db
def test_a_controlled_medicine_carries_its_dea_schedule(client, fhir_products):
    body = read(client, f"{SEARCH}/{fhir_products['controlled'].pk}")
    MedicationKnowledge.model_validate(body)
    legal, controlled = body["regulatory"]
    assert legal["schedule"][0]["schedule"]["text"] == "Controlled (prescription only)"
    assert controlled["regulatoryAuthority"]["display"] == codes.CONTROLLED_SUBSTANCES_REGULATOR
    schedule = controlled["schedule"][0]["schedule"]
    assert schedule["text"] == "C-IV"
    assert schedule["coding"] == [{"system": codes.NCI_THESAURUS_SYSTEM, "code": "C48677", "display": "Schedule IV"}]


@pytest.mark.django_db
def test_user_text_is_escaped_in_the_narrative(client, fhir_products, medicine):
    medicine.title = "Baclofen <script>alert(1)</script>"
    medicine.save_revision().publish()
    body = read(client, f"{SEARCH}/{fhir_products['tablet'].pk}")
    MedicationKnowledge.model_validate(body)
    assert "<script>" not in body["text"]["div"]
    assert "&lt;script&gt;" in body["text"]["div"]


@pytest.mark.parametrize(
    "strength, form, expected",
    [
        ("10 mg", DosageForm.TABLET, ((10, "mg", "mg"), (1, "tablet"))),
        ("7.5 mg", DosageForm.TABLET, ((Decimal("7.5"), "mg", "mg"), (1, "tablet"))),
        ("500 mcg", DosageForm.CAPSULE, ((500, "mcg", "ug"), (1, "capsule"))),
        ("5 mg/5 mL", DosageForm.ORAL_SUSPENSION, ((5, "mg", "mg"), (5, "mL"))),
        ("2.5 mg/mL", DosageForm.ORAL_SOLUTION, ((Decimal("2.5"), "mg", "mg"), (1, "mL"))),
        ("100 mg", DosageForm.ORAL_SOLUTION, None),  # per what volume? not guessed
        ("1 puff", DosageForm.TABLET, None),
        ("5 mg/2 tablets", DosageForm.TABLET, None),
        ("10 mg and more", DosageForm.TABLET, None),
    ],
)
def test_strength_is_parsed_into_a_ratio_or_left_out(strength, form, expected):
    ratio = mapping.strength_ratio(Product(form=form, strength=strength))
    if expected is None:
        assert ratio is None
        return
    (amount, unit, ucum), (per_amount, per_unit) = expected
    assert ratio["numerator"] == {"value": amount, "unit": unit, "system": codes.UCUM_SYSTEM, "code": ucum}
    assert ratio["denominator"]["value"] == per_amount and ratio["denominator"]["unit"] == per_unit


@pytest.mark.django_db
def test_a_combination_lists_each_active_ingredient_without_a_strength():
    medicine = MedicinePage(generic_name="carisoprodol and aspirin", active_ingredients="carisoprodol, aspirin")
    product = Product(medicine=medicine, form=DosageForm.TABLET, strength="200 mg/325 mg")
    assert mapping.ingredients(product) == [
        {"itemCodeableConcept": {"text": "carisoprodol"}, "isActive": True},
        {"itemCodeableConcept": {"text": "aspirin"}, "isActive": True},
    ]


# --- The searchset Bundle -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bundle_lists_every_shown_product_and_validates(client, fhir_products):
    body = search(client)
    Bundle.model_validate(body)
    assert body["resourceType"] == "Bundle" and body["type"] == "searchset"
    assert body["total"] == 6
    assert {entry["resource"]["id"] for entry in body["entry"]} == shown(fhir_products)
    for entry in body["entry"]:
        assert entry["fullUrl"] == f"http://testserver{SEARCH}/{entry['resource']['id']}"
        assert entry["search"] == {"mode": "match"}
        MedicationKnowledge.model_validate(entry["resource"])
    links = {link["relation"]: link["url"] for link in body["link"]}
    assert links["self"] == f"http://testserver{SEARCH}?page=1"
    assert "next" not in links and "previous" not in links


@pytest.mark.django_db
def test_inactive_products_and_products_of_draft_guides_are_never_shown(client, fhir_products):
    for name in ("inactive", "draft"):
        issue = outcome(client, f"{SEARCH}/{fhir_products[name].pk}", 404)
        assert issue["code"] == "not-found"
    ids = {entry["resource"]["id"] for entry in walk_bundle(client, status="active,inactive")}
    assert ids == shown(fhir_products)
    assert search(client, status="inactive")["total"] == 0
    assert search(client, status="active")["total"] == 6


@pytest.mark.django_db
def test_search_by_code_matches_ndc_pack_ndc_sku_and_rxnorm(client, fhir_products):
    tablet = str(fhir_products["tablet"].pk)
    sku = fhir_products["solution"].packs.get().sku

    def found(code):
        return sorted(entry["resource"]["id"] for entry in search(client, code=code).get("entry", []))

    assert found("99999-0010") == [tablet]
    assert found("99999-0010-30") == [tablet]
    assert found("9990010") == [tablet]
    assert found(f"{codes.RXNORM_SYSTEM}|9990010") == [tablet]
    assert found(f"{codes.NDC_SYSTEM}|9990010") == []  # an RxNorm code is not an NDC
    assert found("|9990010") == []  # "|code" asks for a code without a system: we have none
    assert found("http://example.org/other|9990010") == []
    assert found(sku) == [str(fhir_products["solution"].pk)]
    assert found(f"{sku_system()}|{sku}") == [str(fhir_products["solution"].pk)]
    assert found(f"9990010,{sku}") == sorted([tablet, str(fhir_products["solution"].pk)])
    assert found("no-such-code") == []
    assert found(fhir_products["inactive"].packs.get().sku) == []
    # Two packs of the tablet match: the product is listed once.
    both_packs = ",".join(fhir_products["tablet"].packs.values_list("sku", flat=True))
    assert search(client, code=both_packs)["total"] == 1


@pytest.mark.django_db
def test_search_by_dose_form_takes_our_code_or_snomed_ct(client, fhir_products):
    def found(**params):
        return {entry["resource"]["id"] for entry in search(client, **params).get("entry", [])}

    tablets = {str(fhir_products["tablet"].pk), str(fhir_products["controlled"].pk)}
    assert found(doseform="tablet") == tablets
    assert found(doseform="421026006") == tablets
    assert found(doseform=f"{codes.SNOMED_SYSTEM}|421026006") == tablets
    assert found(doseform="granules,odt") == {str(fhir_products["granules"].pk), str(fhir_products["odt"].pk)}
    assert found(doseform="tablet", code="9990010") == {str(fhir_products["tablet"].pk)}
    issue = outcome(client, SEARCH, 400, doseform="lozenge")
    assert issue["code"] == "code-invalid" and "lozenge" in issue["diagnostics"]
    assert outcome(client, SEARCH, 400, doseform=f"{codes.SNOMED_SYSTEM}|tablet")["code"] == "code-invalid"


@pytest.mark.django_db
def test_pages_follow_next_links_to_the_end_without_repeats(client, fhir_products):
    first = search(client, _count=4)
    assert len(first["entry"]) == 4 and first["total"] == 6
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "page=2" in links["next"] and "_count=4" in links["next"] and "page=2" in links["last"]
    ids = [entry["resource"]["id"] for entry in walk_bundle(client, _count=4)]
    assert len(ids) == 6 and set(ids) == shown(fhir_products)
    assert [e["resource"]["id"] for e in walk_bundle(client, _count=1)] == ids  # one stable order
    beyond = search(client, _count=4, page=9)
    assert beyond["total"] == 6 and "entry" not in beyond
    only_total = search(client, _count=0)
    Bundle.model_validate(only_total)
    assert only_total["total"] == 6 and "entry" not in only_total


@pytest.mark.django_db
def test_count_is_capped_at_the_hard_maximum(client, fhir_products, monkeypatch):
    monkeypatch.setattr(fhir_search, "MAX_COUNT", 5)
    body = search(client, _count=1000)
    assert len(body["entry"]) == 5
    assert any(link["relation"] == "next" for link in body["link"])


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_two_products_or_six(client, fhir_products):
    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            body = search(client, _count=count)
        assert len(body["entry"]) == count
        return len(captured)

    search(client)  # the first request also caches the site's root paths
    assert queries(2) == queries(6) <= 5


@pytest.mark.parametrize(
    "params, issue, words",
    [
        ({"name": "baclofen"}, "not-supported", "'name'"),
        ({"code:text": "x"}, "not-supported", "'code:text'"),
        ({"_count": "many"}, "value", "'_count'"),
        ({"_count": "-1"}, "value", "'_count'"),
        ({"page": "0"}, "value", "'page'"),
        ({"page": ["1", "2"]}, "value", "more than once"),
        ({"status": "retired"}, "code-invalid", "'retired'"),
        ({"code": ""}, "value", "empty value"),
        ({"code": f"{codes.NDC_SYSTEM}|"}, "value", "no code"),
        ({"_format": "xml"}, "not-supported", "Only JSON"),
        ({"code": "BAC\x00"}, "value", "NUL character"),  # PostgreSQL refuses NUL in text: never reaches it
    ],
)
@pytest.mark.django_db
def test_a_bad_search_parameter_is_a_400_operation_outcome(client, site_pages, params, issue, words):
    found = outcome(client, SEARCH, 400, **params)
    assert found["code"] == issue and words in found["diagnostics"]


@pytest.mark.django_db
def test_json_format_parameter_is_accepted(client, fhir_products):
    assert search(client, _format="json")["total"] == 6


# --- Errors, methods, content type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [f"{SEARCH}/999999", f"{SEARCH}/abc", f"{SEARCH}/1.5", "/fhir/Patient/1", "/fhir/", "/fhir/Medication"]
)
@pytest.mark.django_db
def test_unknown_resources_are_404_operation_outcomes(client, site_pages, url):
    assert outcome(client, url, 404)["code"] == "not-found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.django_db
def test_writing_is_a_405_even_without_a_csrf_token(fhir_products, method):
    client = Client(enforce_csrf_checks=True)
    for url in (SEARCH, f"{SEARCH}/{fhir_products['tablet'].pk}"):
        response = getattr(client, method)(url, data="{}", content_type="application/fhir+json")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert response["Content-Type"] == CONTENT_TYPE
        OperationOutcome.model_validate(response.json())
    assert Product.objects.filter(pk=fhir_products["tablet"].pk, active=True).exists()


@pytest.mark.django_db
def test_head_answers_like_get(client, fhir_products):
    response = client.head(f"{SEARCH}/{fhir_products['tablet'].pk}")
    assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE


# --- The demo catalogue ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoCatalogue:
    """The whole demo catalogue through the bundle."""

    def test_every_demo_product_validates_and_is_listed_once(self, client):
        entries = walk_bundle(client, _count=fhir_search.MAX_COUNT)
        expected = Product.objects.filter(active=True, medicine__in=MedicinePage.objects.live().public())
        assert len(entries) == expected.count() > 20
        assert {entry["resource"]["id"] for entry in entries} == {
            str(pk) for pk in expected.values_list("pk", flat=True)
        }
        for entry in entries:
            resource = MedicationKnowledge.model_validate(entry["resource"])
            assert resource.ingredient[0].strength is not None, entry["resource"]["code"]["text"]
            assert len(entry["resource"]["cost"]) == Pack.objects.filter(product_id=resource.id).count()

    def test_carisoprodol_is_schedule_iv_and_baclofen_is_not_controlled(self, client):
        def regulatory_texts(title):
            product = Product.objects.filter(medicine__title=title).first()
            body = read(client, f"{SEARCH}/{product.pk}")
            return [entry["schedule"][0]["schedule"]["text"] for entry in body["regulatory"]]

        assert regulatory_texts("Carisoprodol") == ["Controlled (prescription only)", "C-IV"]
        assert regulatory_texts("Baclofen") == ["Prescription only"]

    def test_no_private_data_leaves_through_fhir(self, client):
        from django.contrib.auth import get_user_model

        from discussion.models import Comment
        from orders.models import Order

        emails = set(Comment.objects.values_list("author_email", flat=True))
        emails |= set(get_user_model().objects.values_list("email", flat=True))
        emails |= set(Order.objects.values_list("email", flat=True))
        assert len(emails) >= 4
        addresses = {line for order in Order.objects.all() for line in (order.line1, order.full_name, order.phone)}
        assert "42 Example Avenue" in addresses
        bodies = [client.get(SEARCH, {"_count": fhir_search.MAX_COUNT}).content.decode().lower()]
        bodies += [
            client.get(f"{SEARCH}/{pk}").content.decode().lower()
            for pk in Product.objects.values_list("pk", flat=True)[:5]
        ]
        for body in bodies:
            assert "@" not in body
            for private in emails | addresses:
                assert private.lower() not in body


@pytest.mark.django_db
def test_metadata_is_a_valid_capability_statement_naming_what_is_served(client, site_pages):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE
    statement = CapabilityStatement.model_validate(response.json())
    (resource,) = statement.rest[0].resource
    assert resource.type == "MedicationKnowledge"
    assert {interaction.code for interaction in resource.interaction} == {"read", "search-type"}
    assert {param.name for param in resource.searchParam} == {"code", "doseform", "status"}
    assert statement.implementation.url == "http://testserver/fhir"
