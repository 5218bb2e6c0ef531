"""``evidence.services.find_reference``: whether a source is already a ``Reference`` (by DOI, else PMID, else URL,
else its citation), as the demo loader and the importers ask it."""

import pytest

from evidence.models import ReferenceKind
from evidence.services import find_reference
from tests.factories import make_reference

pytestmark = pytest.mark.django_db

LABEL_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=x"


def test_a_doi_finds_its_reference_whatever_its_case_and_prefix():
    first = make_reference(doi="10.1177/ABC")
    make_reference(doi="10.1177/abc")  # a duplicate made earlier by hand: the oldest is the one
    assert find_reference(doi="https://doi.org/10.1177/abc", pmid="999", url="https://elsewhere.example") == first
    assert find_reference(doi="10.1177/other") is None


def test_without_a_doi_a_pmid_finds_its_reference():
    reference = make_reference(doi="", pmid="27207462")
    assert find_reference(pmid="27207462", url="https://elsewhere.example", title="Another title") == reference
    assert find_reference(pmid="1") is None


def test_at_an_address_the_same_title_is_the_same_reference():
    make_reference(doi="10.1/with-doi", url="https://example.org/page", title="Baclofen")  # known by its DOI
    page = make_reference(doi="", url="https://example.org/page", title="Baclofen", kind=ReferenceKind.WEB_PAGE)
    other = make_reference(doi="", url="https://example.org/page", title="Tizanidine", kind=ReferenceKind.WEB_PAGE)
    assert find_reference(url="https://example.org/page", title="baclofen", kind=ReferenceKind.WEB_PAGE) == page
    assert find_reference(url="https://example.org/page", title="Tizanidine") == other
    # two of that kind there, neither with this title: no way to tell which, so none
    assert find_reference(url="https://example.org/page", title="Renamed", kind=ReferenceKind.WEB_PAGE) is None


def test_at_an_address_a_renamed_source_is_the_one_of_its_kind_there():
    label = make_reference(doi="", url=LABEL_URL, title="BACLOFEN tablet", kind=ReferenceKind.LABEL)
    assert find_reference(url=LABEL_URL, title="BACLOFEN tablet and capsule", kind=ReferenceKind.LABEL) == label
    assert find_reference(url=LABEL_URL, title="BACLOFEN tablet and capsule", kind=ReferenceKind.WEB_PAGE) is None
    assert find_reference(url=LABEL_URL, title="BACLOFEN tablet and capsule") is None
    make_reference(doi="", pmid="123", url=LABEL_URL, title="A paper", kind=ReferenceKind.LABEL)  # known by its PMID
    assert find_reference(url=LABEL_URL, title="BACLOFEN, new version", kind=ReferenceKind.LABEL) == label


def test_without_an_identifier_or_address_the_citation_decides():
    notice = make_reference(doi="", title="Placement of Carisoprodol", container="Fed Regist", authors="DEA")
    make_reference(doi="", url="https://example.org/notice", title="Placement of Carisoprodol", container="Fed Regist")
    assert find_reference(title="placement of carisoprodol", container="Fed Regist") == notice
    assert find_reference(title="Placement of Carisoprodol", container="Federal Register") is None
    assert find_reference(title="Placement of Carisoprodol", authors="DEA", year=2020) == notice
    assert find_reference(title="Placement of Carisoprodol", authors="DEA", year=2011) is None
