import pytest

from home import services
from tests.factories import make_medicine


@pytest.fixture
def tizanidine(site_pages, drug_class):
    return make_medicine(
        site_pages["medicines"],
        drug_class,
        title="Tizanidine",
        brand_names="Zanaflex",
        summary="Tizanidine treats spasticity in adults.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["baclofen", "Baclofen", "Lioresal", "lioresal", "spasticity", "muscle relaxant"],
)
def test_search_finds_a_guide_by_generic_name_brand_condition_and_tag(client, medicine, query):
    medicine.indications.create(condition="Spasticity from multiple sclerosis", reference=None)
    medicine.save_revision().publish()
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert 'href="/medicines/baclofen/"' in response.content.decode()


@pytest.mark.django_db
def test_search_by_brand_does_not_return_unrelated_guides(client, medicine, tizanidine):
    titles = [page.title for page in services.search_pages("Zanaflex")]
    assert titles == ["Tizanidine"]


@pytest.mark.django_db
def test_drafts_are_not_found(client, medicine):
    medicine.unpublish()
    response = client.get("/search/", {"q": "baclofen"})
    assert 'href="/medicines/baclofen/"' not in response.content.decode()
    assert "Nothing matched" in response.content.decode()


@pytest.mark.django_db
def test_search_is_paginated(client, site_pages, drug_class):
    for n in range(23):
        make_medicine(site_pages["medicines"], drug_class, title=f"Relaxant {n:02d}", summary="Eases spasticity.")
    first = client.get("/search/", {"q": "spasticity"}).content.decode()
    assert "page 1 of 3" in first
    assert first.count('class="result"') == 10
    last = client.get("/search/", {"q": "spasticity", "page": 3}).content.decode()
    assert last.count('class="result"') == 3
    # A page number past the end or not a number shows the last or first page, never an error.
    assert client.get("/search/", {"q": "spasticity", "page": 99}).status_code == 200
    assert client.get("/search/", {"q": "spasticity", "page": "x"}).status_code == 200


@pytest.mark.django_db
def test_empty_and_overlong_queries_are_handled(client, site_pages):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ['"', '"baclofen', "baclofen\x00", "AND", "NEAR(", "-", "*", "bac*", "a:b", "(", "'", "OR OR", "^", "\\"],
)
def test_queries_with_search_syntax_or_control_characters_never_fail(client, medicine, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_clean_query_keeps_words_and_drops_syntax():
    assert services.clean_query('  "Lioresal"  (UK)\x00 ') == "Lioresal UK"
    assert services.clean_query("x" * 500) == "x" * 200
