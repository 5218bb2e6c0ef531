"""The malformed-identifier rule, and the reference rules by kind (cut-off titles, no journal, years to come)."""

import pytest

from evidence.audit import audit_page
from evidence.audit.rules.identifiers import doi_problem, identifier_problems, issn_problem, pmid_problem
from evidence.tests.audit.helpers import verified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "doi, problem",
    [
        ("10.1177/1352458516643600", None),
        ("https://doi.org/10.1177/1352458516643600", None),
        ("10,1177/1352458516643600", "has a “,” where a DOI has a dot"),
        ("10.1177/", "is only a prefix"),
        ("10.1177", "is only a prefix"),
        ("1352458516643600", "is not a DOI"),
    ],
)
def test_doi_grammar(doi, problem):
    assert (doi_problem(doi) is None) if problem is None else problem in doi_problem(doi)


def test_pmid_and_issn_grammar():
    assert pmid_problem("27207462") is None and "is not a PMID" in pmid_problem("2720746a")
    assert issn_problem("0885-3924") is None  # J Pain Symptom Manage
    assert "wrong check digit (it would end in 4)" in issn_problem("0885-3925")
    assert identifier_problems("Vol. 10, 2019, pp. 1-9; PMIDs are numbers") == []
    assert len(identifier_problems("doi: 10,5555/x.1 PMID: 12a ISSN 0885-3925")) == 3


def test_a_malformed_doi_is_reported_once_with_what_to_do(build_guide):
    guide = build_guide(references=[verified(doi="10,1177/1352458516643600")])
    found = [
        finding for finding in audit_page(guide) if finding.code in ("malformed-identifier", "failed-verification")
    ]
    assert [finding.code for finding in found] == ["malformed-identifier"]
    assert found[0].message.endswith("has a “,” where a DOI has a dot (10.NNNN/…): correct it under References from "
                                     "the paper itself")  # fmt: skip


@pytest.mark.parametrize(
    "fields, expected",
    [
        (dict(title="Efficacy and safety of tizanidine in patients with"), "is cut off"),
        (dict(title="Baclofen in spasticity:"), "is cut off"),
        (dict(container=""), "needs its journal"),
        (dict(year=2099), "its year 2099 is still to come"),
    ],
)
def test_references_cut_off_without_a_journal_or_from_the_future(build_guide, fields, expected):
    guide = build_guide(references=[verified(**fields)])
    [finding] = [finding for finding in audit_page(guide) if finding.code == "incomplete-reference"]
    assert expected in finding.message and finding.message.endswith(
        "complete it under References from the source itself"
    )


def test_a_title_ending_with_a_full_stop_or_a_real_word_is_not_cut_off(build_guide):
    guide = build_guide(references=[verified(title="Baclofen for alcohol use disorder")])
    assert [finding for finding in audit_page(guide) if finding.code == "incomplete-reference"] == []
