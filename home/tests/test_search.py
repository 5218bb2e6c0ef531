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
def test_the_best_ids_are_the_search_backends_own_ranking_cut_at_the_limit(site_pages, drug_class):
    for n in range(23):
        summary = "Eases spasticity." + " Spasticity again." * (n % 4)  # ranked apart by how often they say it
        make_medicine(site_pages["medicines"], drug_class, title=f"Relaxant {n:02d}", summary=summary)
    ranked = [page.pk for page in services.searchable_pages().search("spasticity", operator="and")]
    assert len(ranked) == 23
    assert services.best_page_ids("spasticity", 15) == ranked[:15]  # read as ids, never as page objects
    assert services.best_page_ids("spasticity eases", 40) == [
        page.pk for page in services.searchable_pages().search("spasticity eases", operator="and")
    ]


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


@pytest.mark.django_db
def test_snippets_have_no_citation_markers(client, site_pages, drug_class):
    make_medicine(
        site_pages["medicines"],
        drug_class,
        title="Dantrolene",
        summary="Dantrolene treats spasticity [1]. It can harm the liver [2, 3].",
    )
    page = client.get("/search/", {"q": "dantrolene"}).content.decode()
    assert "Dantrolene treats spasticity. It can harm the liver." in page
    assert "[1]" not in page and "[2, 3]" not in page


@pytest.mark.django_db
def test_the_vocabulary_follows_publishing(client, site_pages, drug_class, medicine):
    from home import search

    assert search.closest_guide("tizanadine") is None  # the vocabulary is built and cached without it
    tizanidine = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    assert search.closest_guide("tizanadine").label == "Tizanidine"  # publishing dropped the cached one
    tizanidine.unpublish()
    assert search.closest_guide("tizanadine") is None
    assert "Did you mean" not in client.get("/search/", {"q": "tizanadine"}).content.decode()


@pytest.mark.django_db
def test_a_guide_used_for_the_condition_ranks_above_one_that_mentions_its_words(client, site_pages, drug_class):
    mentions = make_medicine(
        site_pages["medicines"],
        drug_class,
        title="Mentioner",
        summary="Mentioner is not for high blood pressure; high doses of it raise pressure in the eye.",
    )
    used = make_medicine(site_pages["medicines"], drug_class, title="Pressurol", summary="Pressurol is a medicine.")
    used.indications.create(condition="High blood pressure (hypertension)", reference=None)
    used.save_revision().publish()
    titles = [page.title for page in services.specific_results(services.search_pages("high blood pressure"))]
    assert titles[0] == mentions.title  # full text alone puts the one that repeats the words first
    response = client.get("/search/", {"q": "high blood pressure"})
    order = response.content.decode()
    assert order.index('href="/medicines/pressurol/"') < order.index('href="/medicines/mentioner/"')


@pytest.mark.django_db
def test_a_corrected_search_costs_the_same_queries_with_more_results(client, site_pages, drug_class, medicine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client.get("/search/", {"q": "spastcity"})  # warm the vocabulary and Wagtail's site caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": "spastcity"})
        assert "Showing results for <strong>spasticity</strong>" in response.content.decode()
        return len(queries)

    medicine.indications.create(condition="Spasticity", reference=None)
    medicine.save_revision().publish()
    small = count()
    for n in range(12):
        make_medicine(site_pages["medicines"], drug_class, title=f"Relaxant {n:02d}", tags=["spasticity"])
    assert count() == small


@pytest.mark.django_db
def test_suggestions_share_the_search_rate_limit_and_say_so_as_json(client, medicine, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    assert [client.get("/search/suggest/", {"q": "bac"}).status_code for _ in range(2)] == [200, 200]
    response = client.get("/search/suggest/", {"q": "bac"})
    assert response.status_code == 429
    assert response.json()["error"]
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_a_query_of_search_syntax_only_suggests_nothing(client, medicine):
    response = client.get("/search/suggest/", {"q": "((("})
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


def test_the_vocabulary_is_kept_in_the_process_while_the_cache_stamp_stays(medicine):
    from django.core.cache import cache

    from home import search

    search.clear_vocabulary()
    first = search.vocabulary()
    assert search.vocabulary() is first  # not unpickled again from the cache
    other = search.Vocabulary(words=frozenset({"rebuilt"}))  # another process built it again
    cache.set_many({search.VOCABULARY_CACHE_KEY: other, search.VOCABULARY_STAMP_KEY: "another"})
    assert search.vocabulary().words == {"rebuilt"}
    search.clear_vocabulary()  # a page published: built afresh
    assert "baclofen" in search.vocabulary().words
