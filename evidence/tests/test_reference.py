import pytest
from django.core.exceptions import ValidationError

from evidence.models import Reference, ReferenceKind, normalise_doi


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("10.1177/1352458516643600", "10.1177/1352458516643600"),
        ("https://doi.org/10.1002/14651858.CD012557.pub3", "10.1002/14651858.CD012557.pub3"),
        ("doi: 10.1001/archinte.161.13.1613", "10.1001/archinte.161.13.1613"),
        ("  http://dx.doi.org/10.1126/science.959824 ", "10.1126/science.959824"),
    ],
)
def test_dois_are_normalised(typed, stored):
    assert normalise_doi(typed) == stored


def test_clean_normalises_and_validates_identifiers():
    reference = Reference(title="T", doi="https://doi.org/10.1177/1352458516643600", pmid=" 27207462 ")
    reference.clean()
    assert reference.doi == "10.1177/1352458516643600"
    assert reference.pmid == "27207462"
    with pytest.raises(ValidationError) as error:
        Reference(title="T", doi="1352458516643600", pmid="PMID27207462").clean()
    assert set(error.value.message_dict) == {"doi", "pmid"}


def test_a_reference_must_be_findable():
    with pytest.raises(ValidationError) as error:
        Reference(title="An unfindable paper", container="Somewhere").clean()
    assert "url" in error.value.message_dict
    # A notice with no address is found by its full citation.
    Reference(title="Placement of Carisoprodol Into Schedule IV", container="Fed Regist", year=2011).clean()


def test_vancouver_style_and_links():
    paper = Reference(
        authors="Chou R, Peterson K, Helfand M",
        title="Comparative efficacy and safety of skeletal muscle relaxants",
        container="J Pain Symptom Manage",
        year=2004,
        volume="28(2)",
        pages="140-75",
        doi="10.1016/j.jpainsymman.2004.05.002",
        pmid="15276195",
    )
    assert paper.vancouver() == (
        "Chou R, Peterson K, Helfand M. Comparative efficacy and safety of skeletal muscle relaxants. "
        "J Pain Symptom Manage 2004;28(2):140-75."
    )
    assert paper.link == "https://doi.org/10.1016/j.jpainsymman.2004.05.002"
    assert paper.short_label == "Chou R 2004"
    page = Reference(
        kind=ReferenceKind.WEB_PAGE, title="Baclofen", container="NHS", url="https://www.nhs.uk/medicines/baclofen/"
    )
    assert page.link == "https://www.nhs.uk/medicines/baclofen/"
    assert Reference(title="X", pmid="7970014").link == "https://pubmed.ncbi.nlm.nih.gov/7970014/"
