"""schema.org JSON-LD on pages: its shapes, its validity against schema.org's definitions, its escaping."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from catalogue.models import DosageForm, Pack, Product
from catalogue.services import approve_product
from medicines.models import ControlledSchedule, LegalStatus, MedicinePage
from medicines.services import approve_and_publish
from seo import jsonld
from seo.schemaorg.validation import load_schema, problems
from tests.factories import (
    approving_pharmacist,
    make_article,
    make_medicine,
    make_pharmacist,
    make_product,
    make_reference,
    make_user,
)

LD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SCHEMA = "https://schema.org/"

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")  # build_site puts the Wagtail site at SITE_URL


def jsonld_of(response) -> dict:
    """The page's one JSON-LD document."""
    assert response.status_code == 200
    scripts = LD_SCRIPT.findall(response.content.decode())
    assert len(scripts) == 1, f"{len(scripts)} JSON-LD scripts"
    return json.loads(scripts[0])


def nodes(data: dict, type_name: str) -> list[dict]:
    return [node for node in data["@graph"] if node["@type"] == type_name]


def node(data: dict, type_name: str) -> dict:
    (found,) = nodes(data, type_name)
    return found


def offers_by_sku(data: dict) -> dict[str, dict]:
    return {product["sku"]: product["offers"] for product in nodes(data, "Product")}


@pytest.fixture
def demo_site(db, settings, tmp_path):
    """The demo site (its baclofen guide is built from the sourced fact sheets), loaded for one test."""
    settings.VAR_DIR = tmp_path
    call_command("load_demo", allow_production=True, stdout=StringIO())


# --- Acceptance: the baclofen guide ------------------------------------------------------------------------------


def test_baclofen_guide_passes_the_schema_and_has_every_property_it_has_data_for(client, demo_site):
    guide = MedicinePage.objects.select_related("reviewed_by", "drug_class").get(slug="baclofen")
    response = client.get(guide.url)
    data = jsonld_of(response)
    assert problems(data) == []

    page = node(data, "MedicalWebPage")
    drug = node(data, "Drug")
    therapy = node(data, "MedicalTherapy")
    assert page["mainEntity"] == {"@id": drug["@id"]} and {"@id": drug["@id"]} in page["about"]
    assert page["lastReviewed"] == guide.last_reviewed.isoformat()
    reviewer = guide.reviewed_by
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": reviewer.get_full_name(),
        "honorificSuffix": reviewer.credentials,
    }
    assert reviewer.email not in response.content.decode()
    assert len(page["citation"]) == guide.guide_references.count()

    # Every Drug property the issue lists, where the guide has the data (it has all of it).
    assert guide.brand_names and guide.pregnancy and guide.interactions.exists() and guide.side_effects.exists()
    listed = {
        "activeIngredient",
        "nonProprietaryName",
        "proprietaryName",
        "drugClass",
        "dosageForm",
        "availableStrength",
        "prescriptionStatus",
        "legalStatus",
        "mechanismOfAction",
        "interactingDrug",
        "pregnancyWarning",
    }
    assert listed <= set(drug), listed - set(drug)
    assert drug["nonProprietaryName"] == "baclofen" and drug["activeIngredient"] == "baclofen"
    assert drug["proprietaryName"] == guide.brand_name_list
    assert drug["drugClass"] == {
        "@type": "DrugClass",
        "name": guide.drug_class.title,
        "url": f"{SITE}{guide.drug_class.url}",
        "description": guide.drug_class.description,
    }
    assert drug["prescriptionStatus"] == SCHEMA + "PrescriptionOnly"
    assert drug["legalStatus"] == {"@type": "DrugLegalStatus", "name": "Prescription only"}
    assert "GABA" in drug["mechanismOfAction"] and "<p>" not in drug["mechanismOfAction"]
    assert "omphaloceles" in drug["pregnancyWarning"] and "[1]" not in drug["pregnancyWarning"]
    assert [row["name"] for row in drug["interactingDrug"]] == [row.substance for row in guide.interactions.all()]
    # schema.org puts side effects on the therapy, which the page is also about.
    assert {"@id": therapy["@id"]} in page["about"] and therapy["drug"] == {"@id": drug["@id"]}
    assert [row["name"] for row in therapy["adverseOutcome"]] == [row.effect for row in guide.side_effects.all()]
    assert "10–63%" in therapy["adverseOutcome"][0]["description"]

    products = Product.objects.available().for_medicine(guide)
    assert len(drug["availableStrength"]) == products.count()
    assert {strength["name"] for strength in drug["availableStrength"]} >= {"5 mg tablet", "10 mg tablet"}
    assert drug["dosageForm"] == "Tablet" or "Tablet" in drug["dosageForm"]

    # A Product with its Offer for each pack on sale, as the product box lists them.
    offers = offers_by_sku(data)
    packs = list(Pack.objects.filter(product__in=products))
    assert set(offers) == {pack.sku for pack in packs}
    assert response.content.decode().count("data-sku=") == len(offers)
    assert {offer["availability"] for offer in offers.values()} == {SCHEMA + "InStock", SCHEMA + "OutOfStock"}
    for pack in packs:
        offer = offers[pack.sku]
        assert offer["price"] == str(pack.price) and offer["priceCurrency"] == "USD"
        assert offer["availability"] == SCHEMA + ("InStock" if pack.stock > 0 else "OutOfStock")

    crumbs = node(data, "BreadcrumbList")["itemListElement"]
    assert [(crumb["position"], crumb["name"]) for crumb in crumbs] == [
        (1, "Home"),
        (2, guide.drug_class.title),
        (3, guide.title),
    ]
    assert crumbs[-1]["item"] == f"{SITE}/medicines/baclofen/"


# --- Guides --------------------------------------------------------------------------------------------------------


def test_offer_availability_follows_stock(client, medicine):
    make_product(medicine, packs=((30, "15.30", 4), (90, "40.00", 0)))
    offers = offers_by_sku(jsonld_of(client.get(medicine.url)))
    by_units = {pack.units: pack.sku for pack in Pack.objects.all()}
    assert offers[by_units[30]]["availability"] == SCHEMA + "InStock"
    assert offers[by_units[90]]["availability"] == SCHEMA + "OutOfStock"
    assert offers[by_units[90]]["price"] == "40.00"

    Pack.objects.filter(units=30).update(stock=0)
    Pack.objects.filter(units=90).update(stock=12)
    offers = offers_by_sku(jsonld_of(client.get(medicine.url)))
    assert offers[by_units[30]]["availability"] == SCHEMA + "OutOfStock"
    assert offers[by_units[90]]["availability"] == SCHEMA + "InStock"


def test_inactive_products_and_their_packs_are_not_offered(client, medicine):
    make_product(medicine, strength="10 mg")
    hidden = make_product(medicine, strength="20 mg")
    hidden.active = False
    hidden.save()
    data = jsonld_of(client.get(medicine.url))
    assert set(offers_by_sku(data)) == set(Pack.objects.filter(product__active=True).values_list("sku", flat=True))
    assert [strength["name"] for strength in node(data, "Drug")["availableStrength"]] == ["10 mg tablet"]


def test_legal_status_strength_and_pack_codes(client, site_pages, drug_class):
    otc = make_medicine(site_pages["medicines"], drug_class, title="Testofen", legal_status=LegalStatus.GENERAL_SALE)
    product = Product.objects.create(
        medicine=otc, form=DosageForm.ORAL_SUSPENSION, strength="100 mg/5 mL", manufacturer="Maker Labs"
    )
    Pack.objects.create(product=product, units=150, price=Decimal("6.50"), stock=3, sku="TST-150", ndc="12345-678-90")
    approve_product(product, approving_pharmacist())
    data = jsonld_of(client.get(otc.url))
    assert problems(data) == []
    drug = node(data, "Drug")
    assert drug["prescriptionStatus"] == SCHEMA + "OTC"
    assert drug["legalStatus"]["name"] == "Over the counter"
    assert drug["dosageForm"] == "Oral suspension"
    (strength,) = drug["availableStrength"]
    assert (strength["strengthValue"], strength["strengthUnit"]) == (100, "mg/5 mL")
    (pack,) = nodes(data, "Product")
    assert pack["productID"] == "ndc:12345-678-90"
    assert pack["manufacturer"] == {"@type": "Organization", "name": "Maker Labs"}
    assert pack["name"] == "Testofen 100 mg/5 mL oral suspension, 150 mL"

    controlled = make_medicine(
        site_pages["medicines"],
        drug_class,
        title="Controlofen",
        legal_status=LegalStatus.CONTROLLED,
        controlled_schedule=ControlledSchedule.SCHEDULE_IV,
    )
    drug = node(jsonld_of(client.get(controlled.url)), "Drug")
    assert drug["prescriptionStatus"] == SCHEMA + "PrescriptionOnly"
    assert "Schedule IV" in drug["legalStatus"]["name"]


def test_reviewer_is_named_never_by_email(client, medicine):
    reviewer = make_pharmacist("rivera@pharmacy.example")
    reviewer.credentials = "PharmD"
    reviewer.save()
    approve_and_publish(medicine, reviewer)
    response = client.get(medicine.url)
    reviewed_by = node(jsonld_of(response), "MedicalWebPage")["reviewedBy"]
    assert reviewed_by == {"@type": "Person", "name": "Sam Rivera", "honorificSuffix": "PharmD"}
    assert "rivera@pharmacy.example" not in response.content.decode()

    nameless = make_user("nameless@pharmacy.example", groups=["Pharmacists"])
    approve_and_publish(medicine, nameless)
    response = client.get(medicine.url)
    assert node(jsonld_of(response), "MedicalWebPage")["reviewedBy"] == {
        "@type": "Organization",
        "name": "Pharmacy team",
    }
    assert "nameless@pharmacy.example" not in response.content.decode()


def test_editor_text_cannot_close_the_script_element(client, site_pages, drug_class):
    hostile = 'Tablets </script><script>alert("owned")</script> & <!-- and a comment'
    medicine = make_medicine(site_pages["medicines"], drug_class, summary=hostile, brand_names="Brand</script><b>x</b>")
    make_product(medicine)
    html = client.get(medicine.url).content.decode()
    assert '<script>alert("owned")' not in html
    assert html.count("<script") == html.count("</script>")
    assert "\\u003C/script\\u003E" in LD_SCRIPT.search(html).group(1)
    drug = node(jsonld_of(client.get(medicine.url)), "Drug")
    assert drug["description"] == hostile  # exactly as written, once parsed back
    assert drug["proprietaryName"] == "Brand</script><b>x</b>"


def test_the_functions_read_what_they_are_not_given(client, medicine):
    """Called with the page alone (as an API might), the graph is the page's own."""
    make_product(medicine, packs=((30, "15.30", 10), (60, "29.00", 0)))
    rendered = jsonld_of(client.get(medicine.url))
    built = jsonld.medicine_page(
        MedicinePage.objects.get(pk=medicine.pk),
        page_url=f"{SITE}/medicines/baclofen/",
        site_url=f"{SITE}",
        publisher_name="Apothecary",
    )
    assert json.loads(json.dumps(built, default=str)) == rendered


# --- Articles and other pages -----------------------------------------------------------------------------------


def test_article_jsonld(client, site_pages):
    source = make_reference(doi="10.5555/article.1")
    article = make_article(
        site_pages["articles"],
        author_name="Sam Rivera, PharmD",
        references=[source],
        tags=["baclofen"],
        body=[("paragraph", "<p>Taper the dose [1].</p>")],
    )
    article.refresh_from_db()
    data = jsonld_of(client.get(article.url))
    assert problems(data) == []
    item = node(data, "Article")
    assert item["headline"] == article.title
    assert item["description"] == article.summary
    assert item["datePublished"] == article.first_published_at.isoformat()
    assert item["dateModified"] == article.last_published_at.isoformat()
    assert item["author"] == {"@type": "Person", "name": "Sam Rivera, PharmD"}
    assert item["citation"] == [{"@type": "CreativeWork", "name": source.vancouver(), "url": source.link}]
    assert item["keywords"] == "baclofen"
    assert node(data, "WebPage")["mainEntity"] == {"@id": item["@id"]}
    crumbs = node(data, "BreadcrumbList")["itemListElement"]
    assert [crumb["item"] for crumb in crumbs] == [
        f"{SITE}/",
        f"{SITE}/articles/",
        f"{SITE}{article.url}",
    ]

    first_published = item["datePublished"]
    article.author_name = ""
    article.save_revision().publish()
    item = node(jsonld_of(client.get(article.url)), "Article")
    assert item["datePublished"] == first_published
    assert item["dateModified"] > first_published
    assert item["author"] == {"@id": f"{SITE}/#organization"}  # the pharmacy, when no author is named


def test_other_pages_carry_valid_jsonld(client, medicine, drug_class):
    for url in ("/", "/medicines/", "/classes/", drug_class.url, "/articles/"):
        data = jsonld_of(client.get(url))
        assert problems(data) == [], url
    class_data = jsonld_of(client.get(drug_class.url))
    assert node(class_data, "DrugClass")["name"] == drug_class.title
    assert node(class_data, "MedicalWebPage")["about"] == {"@id": node(class_data, "DrugClass")["@id"]}
    assert node(jsonld_of(client.get("/")), "WebPage")["url"] == f"{SITE}/"


def test_views_that_are_not_pages_have_no_jsonld(client, site_pages):
    assert not LD_SCRIPT.search(client.get("/search/?q=x").content.decode())


# --- The schema check itself --------------------------------------------------------------------------------------


def valid_document() -> dict:
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Drug",
                "@id": "https://pharmacy.example/d/#drug",
                "name": "Testofen",
                "drugClass": {"@type": "DrugClass", "name": "Test class"},
                "prescriptionStatus": SCHEMA + "OTC",
                "offers": {
                    "@type": "Offer",
                    "price": "1.00",
                    "priceCurrency": "USD",
                    "availability": SCHEMA + "InStock",
                    "seller": {"@id": "https://pharmacy.example/#organization"},
                },
            },
            {"@type": "Organization", "@id": "https://pharmacy.example/#organization", "name": "Pharmacy"},
            {
                "@type": "MedicalWebPage",
                "lastReviewed": "2026-10-01",
                "about": {"@id": "https://pharmacy.example/d/#drug"},
            },
        ],
    }


@pytest.mark.parametrize(
    "break_it, complaint",
    [
        (lambda doc: doc["@graph"][0].update(adverseOutcome={"@type": "MedicalEntity", "name": "x"}), "adverseOutcome"),
        (lambda doc: doc["@graph"][0].update(flavour="mint"), "flavour"),
        (lambda doc: doc["@graph"][0]["offers"].update(availability=SCHEMA + "Plentiful"), "not a member"),
        (lambda doc: doc["@graph"][0]["offers"].update(availability="InStock"), "availability"),
        (lambda doc: doc["@graph"][0].update(prescriptionStatus="http://schema.org/OTC"), "prescriptionStatus"),
        (lambda doc: doc["@graph"][0].update(drugClass={"@type": "Person", "name": "x"}), "drugClass"),
        (lambda doc: doc["@graph"][0]["drugClass"].update(dosageForm="Tablet"), "DrugClass"),
        (lambda doc: doc["@graph"][0]["offers"].update(seller={"@id": "https://elsewhere.example/#org"}), "not in"),
        (lambda doc: doc["@graph"][1].update({"@type": "Pharmacist"}), "Pharmacist"),
        (lambda doc: doc["@graph"][2].update(lastReviewed="1 October 2026"), "lastReviewed"),
        (lambda doc: doc["@graph"][2].update(about={"@id": "https://pharmacy.example/#organization"}), None),
        (lambda doc: doc.update({"@context": "http://schema.org"}), "@context"),
    ],
)
def test_the_schema_check_catches_what_schema_org_does_not_allow(break_it, complaint):
    assert problems(valid_document()) == []
    document = valid_document()
    break_it(document)
    found = problems(document)
    if complaint is None:  # an Organization is a Thing: the page may be about one
        assert found == []
    else:
        assert found and complaint in " ".join(found), found


def test_the_local_schema_file_is_consistent():
    schema = load_schema()
    for name, described in schema["types"].items():
        assert name == "Thing" or described["ancestors"][-1] == "Thing", name
        assert described["properties"] == sorted(set(described["properties"])), name
        assert set(schema["types"]["Thing"]["properties"]) <= set(described["properties"]), name
    for prop in schema["ranges"]:
        assert any(prop in described["properties"] for described in schema["types"].values()), prop
    for members in schema["enumerations"].values():
        assert all(member.startswith(SCHEMA) for member in members)
