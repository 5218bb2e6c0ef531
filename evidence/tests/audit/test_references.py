"""The audit's reference rules: incomplete-reference, failed-verification, anonymous-study."""

import pytest

from evidence.audit import ERROR, WARNING, audit_page, author_problem
from evidence.models import ReferenceKind, VerificationStatus
from evidence.tests.audit.helpers import codes, table, verified
from medicines.models import MedicinePage, Study
from tests.factories import make_reference

pytestmark = pytest.mark.django_db


# --- incomplete-reference -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authors",
    ["Doe J", "Smith AB", "Anonymous", "SylviaandLinda", "Chou R, Author A", "jdoe42",
     # the standard placeholder families, handles, and "et al." standing alone
     "Jane Doe", "Bloggs J", "Joe Bloggs", "Max Mustermann", "Mustermann M", "Foo Bar", "Bar F", "Lorem Ipsum",
     "Test User", "Admin", "et al.", "@pharmaguy", "pharmacyblogger", "Chou R, Doe J"],
)  # fmt: skip
def test_placeholder_authors(authors):
    assert author_problem(authors)


@pytest.mark.parametrize(
    "authors",
    ["", "Chou R, Peterson K, Helfand M", "Otero-Romero S, et al.", "NHS", "O'Malley PG",
     "United Kingdom Tizanidine Trial Group", "Bar-Or A", "Barr F", "See S, Ginzburg R", "McDonald K"],
)  # fmt: skip
def test_real_authors(authors):
    assert author_problem(authors) is None


@pytest.mark.parametrize(
    "fields, expected",
    [
        (dict(authors="Doe J"), "placeholder"),
        (dict(authors="SylviaandLinda"), "user name"),
        (dict(title="Baclofen in spasticity ("), "cut off"),
        (dict(title="Baclofen in spasticity…"), "cut off"),
        (dict(title="Baclofen"), "too short"),
        (dict(year=None), "needs its year"),
    ],
)
def test_an_incomplete_reference_is_an_error(build_guide, fields, expected):
    findings = audit_page(build_guide(references=[verified(**fields)]))
    assert codes(findings) == ["incomplete-reference"]
    assert expected in findings[0].message
    assert findings[0].place.startswith("References, [1] ")


@pytest.mark.parametrize("title", ["Sullivan CD, et al. (", "Baclofen in spasticity (2020", "Baclofen and spasticity,"])
def test_a_title_left_open_or_ending_mid_phrase_is_cut_off(build_guide, title):
    findings = audit_page(build_guide(references=[verified(title=title)]))
    assert f"its title “{title}” is cut off" in findings[0].message


def test_a_web_page_may_have_a_short_title_and_no_year(build_guide):
    page_reference = verified(
        kind=ReferenceKind.WEB_PAGE, authors="NHS", title="Baclofen", year=None, doi="", url="https://example.org/"
    )
    assert "incomplete-reference" not in codes(audit_page(build_guide(references=[page_reference])))


# --- failed-verification --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, severity, words",
    [
        (VerificationStatus.RETRACTED, ERROR, "retracted"),
        (VerificationStatus.MISMATCH, ERROR, "does not match"),
        (VerificationStatus.NOT_FOUND, ERROR, "no record"),
        (VerificationStatus.NOT_CHECKED, WARNING, "not been checked"),
        (VerificationStatus.COULD_NOT_CHECK, WARNING, "could not be checked"),
    ],
)
def test_verification_status(build_guide, status, severity, words):
    reference = make_reference(verification_status=status, verification_notes="Crossref says so")
    (finding,) = audit_page(build_guide(references=[reference]))
    assert (finding.code, finding.severity) == ("failed-verification", severity)
    assert words in finding.message


def test_a_verified_reference_passes(build_guide):
    assert "failed-verification" not in codes(audit_page(build_guide()))


# --- anonymous-study ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("citation, fires", [("Study 1", True), ("Trial B", True), ("Chou et al. 2004", False)])
def test_a_study_named_only_by_number_is_an_error(build_guide, citation, fires):
    page = build_guide()
    Study.objects.create(
        page=page,
        citation=citation,
        design="Trial",
        finding="Worked.",
        reference=page.guide_references.first().reference,
    )
    findings = audit_page(MedicinePage.objects.get(pk=page.pk))
    assert ("anonymous-study" in codes(findings)) is fires


def test_an_article_table_row_named_study_1_is_an_error(build_article):
    source = verified()
    page = build_article(
        [table("Trials", [["Study", "Result"], ["Study 1", "63%"], ["Chou 2004", "fair"]], source)],
        references=[source],
    )
    (finding,) = audit_page(page)
    assert finding.code == "anonymous-study"
    assert finding.place == "Body, table “Trials”, row 1 (Study 1)"
