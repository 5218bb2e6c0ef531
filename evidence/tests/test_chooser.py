"""The reference chooser: columns that tell references apart, search in each column, and creating a reference."""

import re

import pytest
from django.urls import reverse

from evidence.models import Reference
from tests.factories import make_reference

pytestmark = pytest.mark.django_db

CHOOSE = "wagtailsnippetchoosers_evidence_reference:choose"
RESULTS = "wagtailsnippetchoosers_evidence_reference:choose_results"
CREATE = "wagtailsnippetchoosers_evidence_reference:create"
DAILYMED = "DailyMed, U.S. National Library of Medicine"


def reference_library() -> dict:
    """Two papers and two labels of one site, as a guide's editor finds them in the chooser."""
    return {
        "chou": make_reference(
            authors="Chou R, Peterson K, Helfand M",
            title="Comparative efficacy and safety of skeletal muscle relaxants",
            container="J Pain Symptom Manage",
            year=2004,
            doi="10.1016/j.jpainsymman.2004.05.002",
            pmid="15276195",
        ),
        "shakespeare": make_reference(
            authors="Shakespeare DT, Boggild M, Young C",
            title="Anti-spasticity agents for multiple sclerosis",
            container="Cochrane Database Syst Rev",
            year=2003,
            doi="10.1002/14651858.CD001332",
            pmid="",
        ),
        "baclofen-label": make_reference(
            kind="label",
            authors="",
            title="Baclofen tablets: prescribing information",
            container=DAILYMED,
            year=None,
            doi="",
            url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=baclofen",
        ),
        "tizanidine-label": make_reference(
            kind="label",
            authors="",
            title="Zanaflex (tizanidine) tablets: prescribing information",
            container=DAILYMED,
            year=None,
            doi="",
            url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=zanaflex",
        ),
    }


@pytest.fixture
def library():
    return reference_library()


def results(client, query: str) -> str:
    response = client.get(reverse(RESULTS), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query, found",
    [
        ("Peterson", "chou"),  # an author who is not the first
        ("chou 2004", "chou"),
        ("2003", "shakespeare"),
        ("10.1016/j.jpainsymman.2004.05.002", "chou"),
        ("https://doi.org/10.1002/14651858.CD001332", "shakespeare"),
        ("15276195", "chou"),
        ("Cochrane", "shakespeare"),
        ("skeletal relaxants", "chou"),
        ("DailyMed tizanidine", "tizanidine-label"),
    ],
)
def test_the_chooser_finds_a_reference_by_any_of_its_columns(admin_client, library, query, found):
    html = results(admin_client, query)
    for name, reference in library.items():
        assert (reference.title in html) == (name == found), (query, name)


def test_two_labels_of_one_site_are_told_apart_by_their_title_and_every_column_is_shown(admin_client, library):
    html = admin_client.get(reverse(CHOOSE)).json()["html"]
    headings = [" ".join(cell.split()) for cell in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", html, re.S)]
    assert headings == ["Title", "Authors", "Year", "Journal or site", "DOI / PMID", "Verification"]
    assert "Baclofen tablets: prescribing information" in html
    assert "Zanaflex (tizanidine) tablets: prescribing information" in html
    assert "doi:10.1016/j.jpainsymman.2004.05.002 · PMID 15276195" in html
    assert str(library["baclofen-label"]) != str(library["tizanidine-label"])
    assert str(library["baclofen-label"]) == f"{DAILYMED}: Baclofen tablets: prescribing information"


def test_a_reference_is_created_inside_the_chooser_and_chosen(admin_client, library):
    html = admin_client.get(reverse(CHOOSE)).json()["html"]
    assert "Create a reference" in html
    data = {
        "kind": "article",
        "authors": "Simon O, Yelnik AP",
        "title": "Managing spasticity with drugs",
        "container": "Eur J Phys Rehabil Med",
        "year": "2010",
        "doi": "https://doi.org/10.9999/example.2010",
    }
    response = admin_client.post(reverse(CREATE), data)
    body = response.json()
    assert body["step"] == "chosen", body
    created = Reference.objects.get(title="Managing spasticity with drugs")
    assert created.doi == "10.9999/example.2010"
    assert body["result"]["id"] == str(created.pk)
    assert body["result"]["string"] == "Simon O 2010: Managing spasticity with drugs"


def test_a_bad_reference_is_shown_again_with_its_errors_and_nothing_is_saved(admin_client, library):
    before = Reference.objects.count()
    body = admin_client.post(reverse(CREATE), {"kind": "article", "title": "No way to find it", "doi": "1234"}).json()
    assert body["step"] == "reshow_creation_form"
    assert "A DOI looks like" in body["htmlFragment"]
    assert Reference.objects.count() == before


def test_the_references_listing_searches_the_same_columns(admin_client, library):
    html = admin_client.get(reverse("wagtailsnippets_evidence_reference:list"), {"q": "15276195"}).content.decode()
    assert library["chou"].title in html and library["shakespeare"].title not in html
