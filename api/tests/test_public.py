"""The public API's content and filters: only published guides, classes and articles, only active products."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.pagination import MAX_PAGE_SIZE

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content)
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(body):
    return [item["slug"] for item in body["items"]]


def test_medicine_list_has_only_published_guides_alphabetically(client, catalogue):
    body = get(client, "/api/medicines")
    assert slugs(body) == ["baclofen", "paracetamol"]
    assert body["count"] == 2 and body["pages"] == 1
    baclofen = body["items"][0]
    assert baclofen["brand_names"] == ["Lioresal (UK)", "Ozobax"]
    assert baclofen["legal_status"] == {"code": "prescription", "label": "Prescription only"}
    assert baclofen["drug_class"]["slug"] == "muscle-relaxants"
    assert baclofen["tags"] == ["muscle relaxant", "spasticity"]
    assert baclofen["api_url"].endswith("/api/medicines/baclofen")
    assert baclofen["url"].endswith("/medicines/baclofen/")


MEDICINE_FILTERS = [
    ("class=analgesics", ["paracetamol"]),
    ("class=muscle-relaxants", ["baclofen"]),
    ("class=no-such-class", []),
    ("legal_status=otc", ["paracetamol"]),
    ("legal_status=prescription", ["baclofen"]),
    ("tag=spasticity", ["baclofen"]),
    ("tag=pain", ["paracetamol"]),
    ("tag=pain&legal_status=prescription", []),
]


def test_medicine_filters(client, catalogue):
    for query, expected in MEDICINE_FILTERS:
        assert slugs(get(client, f"/api/medicines?{query}")) == expected, query


def test_medicine_filter_with_an_unknown_legal_status_is_refused_by_name(client, catalogue):
    body = get(client, "/api/medicines?legal_status=herbal", status=422)
    assert set(body["error"]["fields"]) == {"legal_status"}


def test_medicine_detail_is_the_whole_structured_guide(client, catalogue):
    guide = get(client, "/api/medicines/baclofen")
    assert guide["boxed_warning"] == "Do not stop taking it suddenly."
    assert guide["pregnancy"] == "Ask your doctor."
    assert guide["warnings_html"] == "<p>Do not stop suddenly.</p>"
    assert guide["side_effects"] == [
        {
            "effect": "Drowsiness",
            "frequency": {"code": "very_common", "label": "Very common (more than 1 in 10)"},
            "percent_low": "10",
            "percent_high": "63",
            "percent_range": "10–63%",
            "note": "",
            "reference": 1,
        }
    ]
    approved_on = timezone.localdate()
    assert guide["review"] == {
        "reviewed_by": "Sam Rivera, PharmD",
        "last_reviewed": approved_on.isoformat(),
        "next_review_due": (approved_on + timedelta(days=365)).isoformat(),
        "overdue": False,
    }
    [reference] = guide["references"]
    source = catalogue["medicine"].numbered_references[0].reference
    assert reference["number"] == 1
    assert reference["doi"] == source.doi
    assert reference["link"] == f"https://doi.org/{source.doi}"
    assert reference["vancouver"] == source.vancouver()
    assert reference["verification"] == {"code": "not_checked", "label": "Not checked"}
    # Its active products only, by form and strength, each with its packs, smallest first.
    assert [(product["strength"], [pack["units"] for pack in product["packs"]]) for product in guide["products"]] == [
        ("5 mg/5 mL", [300]),
        ("10 mg", [30, 90]),
    ]


def test_medicine_detail_never_shows_the_reviewers_email(client, catalogue):
    response = client.get("/api/medicines/baclofen")
    assert b"reviewer@example.com" not in response.content


def test_products_carry_packs_prices_per_unit_and_availability(client, catalogue):
    product = get(client, f"/api/products/{catalogue['tablets'].pk}")
    assert product["name"] == "Baclofen 10 mg tablet"
    assert product["requires_prescription"] is True
    assert product["in_stock"] is True
    thirty, ninety = product["packs"]
    assert thirty["price"] == {"amount": "15.30", "currency": "USD", "formatted": "$15.30"}
    assert thirty["unit_price"] == {"amount": "0.51", "currency": "USD", "formatted": "$0.51", "unit": "tablet"}
    assert (thirty["stock"], thirty["availability"]) == (10, "in_stock")
    assert (ninety["stock"], ninety["in_stock"], ninety["availability"]) == (0, False, "out_of_stock")
    assert ninety["size"] == "90 tablets"


def test_product_list_has_only_active_products_of_published_guides(client, catalogue):
    ids = [item["id"] for item in get(client, "/api/products")["items"]]
    assert sorted(ids) == sorted(catalogue[name].pk for name in ("tablets", "solution", "paracetamol_tablets"))


PRODUCT_FILTERS = [
    ("medicine=paracetamol", ["paracetamol_tablets"]),
    ("form=oral_solution", ["solution"]),
    ("in_stock=true", ["tablets", "paracetamol_tablets"]),
    ("in_stock=false", ["solution"]),
    ("medicine=baclofen&in_stock=false", ["solution"]),
    ("medicine=draftozine", []),
]


def test_product_filters(client, catalogue):
    for query, expected in PRODUCT_FILTERS:
        ids = [item["id"] for item in get(client, f"/api/products?{query}")["items"]]
        assert sorted(ids) == sorted(catalogue[name].pk for name in expected), query


def test_unpublished_unknown_or_inactive_things_are_404(client, catalogue):
    for url in [
        "/api/medicines/draftozine",
        "/api/articles/secret-plans",
        "/api/classes/no-such-class",
        "/api/medicines/no-such-guide",
        f"/api/products/{catalogue['inactive'].pk}",
        f"/api/products/{catalogue['draft_product'].pk}",
    ]:
        assert get(client, url, status=404)["error"]["code"] == "not_found", url


def test_drug_classes_count_published_guides(client, catalogue):
    body = get(client, "/api/classes")
    counts = {item["slug"]: item["medicine_count"] for item in body["items"]}
    assert counts == {"analgesics": 1, "muscle-relaxants": 1}  # the draft guide is not counted
    detail = get(client, "/api/classes/muscle-relaxants")
    assert [item["slug"] for item in detail["medicines"]] == ["baclofen"]


def test_articles_list_and_detail(client, catalogue):
    assert slugs(get(client, "/api/articles")) == ["stopping-baclofen-safely"]
    assert slugs(get(client, "/api/articles?tag=spasticity")) == ["stopping-baclofen-safely"]
    assert slugs(get(client, "/api/articles?tag=pain")) == []
    article = get(client, "/api/articles/stopping-baclofen-safely")
    assert article["tags"] == ["spasticity"]
    assert [reference["pmid"] for reference in article["references"]] == ["15081372"]
    heading, paragraph, quote, table, box, draft_box = article["body"]
    assert heading == {"type": "heading", "text": "Why taper", "level": "h2"}
    assert paragraph["html"] == "<p>Taper <b>slowly</b>.</p>"  # sanitised: no script
    assert quote == {"type": "quote", "text": "Withdrawal can be serious.", "reference": 1}
    assert table["rows"] == [["Week", "Dose"], ["1", "10 mg"]] and table["header_row"] is True
    assert table["reference"] == 1
    assert box["medicine"]["slug"] == "baclofen"
    assert draft_box == {"type": "product_box", "medicine": None}  # a draft guide is not named


def test_search_reuses_the_site_search_and_finds_only_published_pages(client, catalogue):
    body = get(client, "/api/search?q=baclofen")
    assert {(item["type"], item["slug"]) for item in body["items"]} == {
        ("medicine", "baclofen"),
        ("article", "stopping-baclofen-safely"),
    }
    assert get(client, "/api/search?q=draftozine")["items"] == []
    assert get(client, "/api/search?q=secret")["items"] == []
    # Only syntax characters: nothing to look for, no error.
    assert get(client, "/api/search?q=%22%28%29")["count"] == 0


def test_search_needs_words(client, catalogue):
    assert set(get(client, "/api/search", status=422)["error"]["fields"]) == {"q"}


def test_pages_of_results(client, catalogue):
    first = get(client, "/api/medicines?page_size=1")
    second = get(client, "/api/medicines?page_size=1&page=2")
    beyond = get(client, "/api/medicines?page_size=1&page=3")
    assert (slugs(first), slugs(second), slugs(beyond)) == (["baclofen"], ["paracetamol"], [])
    assert (first["count"], first["pages"], first["page"], first["page_size"]) == (2, 2, 1, 1)


def test_page_size_has_a_hard_maximum(client, catalogue):
    for url in ["/api/medicines", "/api/products", "/api/classes", "/api/articles", "/api/search?q=a"]:
        joiner = "&" if "?" in url else "?"
        assert get(client, f"{url}{joiner}page_size={MAX_PAGE_SIZE}")["page_size"] == MAX_PAGE_SIZE
        body = get(client, f"{url}{joiner}page_size={MAX_PAGE_SIZE + 1}", status=422)
        assert body["error"]["code"] == "invalid"
        assert body["error"]["fields"] == {"page_size": f"Input should be less than or equal to {MAX_PAGE_SIZE}"}
        assert set(get(client, f"{url}{joiner}page=0", status=422)["error"]["fields"]) == {"page"}


def test_a_price_change_shows_in_the_api(client, catalogue):
    from catalogue.services import update_packs

    sku = catalogue["tablets"].packs.get(units=30).sku
    update_packs([{"sku": sku, "price": "12.00", "stock": 0}])
    pack = get(client, f"/api/products/{catalogue['tablets'].pk}")["packs"][0]
    assert pack["price"]["amount"] == "12.00"
    assert pack["unit_price"]["amount"] == "0.40"
    assert pack["availability"] == "out_of_stock"
