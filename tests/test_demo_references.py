"""Every DOI and PMID the demo cites, checked against recorded Crossref and PubMed answers on the local fake sources.

The answers in ``home/demo/sources/`` were written from the project's fact sheets, not from the demo's
Reference rows (see the README there), so a demo reference that strays from its source shows up as a mismatch.
The demo is loaded once for the module (the root conftest's ``demo``), inside a transaction rolled back at the end.
"""

import copy
import json
import re
import urllib.parse
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.fake_sources import Reply

SOURCES = Path(__file__).parent.parent / "home" / "demo" / "sources"
BROWNING_DOI = "10.1001/archinte.161.13.1613"
CHOU_PMID = "15276195"
PAPERS_WITH_TITLE_FROM_RECORDS = ["10.1016/j.jpainsymman.2004.05.002", "10.1191/1352458502ms795rr", BROWNING_DOI]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def crossref_answers() -> dict[str, dict]:
    """DOI (as the answer spells it) → the recorded ``/works/{doi}`` answer."""
    answers = {}
    for path in sorted((SOURCES / "crossref").glob("*.json")):
        answer = json.loads(path.read_text(encoding="utf-8"))
        answers[answer["message"]["DOI"]] = answer
    return answers


def pubmed_answers() -> dict[str, dict]:
    """PMID → the recorded esummary answer."""
    answers = {}
    for path in sorted((SOURCES / "pubmed").glob("*.json")):
        answer = json.loads(path.read_text(encoding="utf-8"))
        (pmid,) = answer["result"]["uids"]
        answers[pmid] = answer
    return answers


def serve(sources, crossref: dict | None = None) -> None:
    """Every recorded answer on the fake sources; ``crossref`` replaces the recorded Crossref answers."""
    for doi, answer in (crossref or crossref_answers()).items():
        sources.crossref(doi, Reply(body=answer))
    for pmid, answer in pubmed_answers().items():
        sources.pubmed(pmid, Reply(body=answer))


def crossref_path(doi: str) -> str:
    """The path the fake sources record for a Crossref look-up of ``doi``."""
    return "/crossref/works/" + urllib.parse.quote(doi, safe="")


def pubmed_path(pmid: str) -> str:
    """The path the fake sources record for a PubMed look-up of ``pmid``."""
    return "/pubmed/esummary.fcgi?" + urllib.parse.urlencode({"db": "pubmed", "id": pmid, "retmode": "json"})


def with_identifier():
    """The demo's references with a DOI or a PMID: the ones a machine can check."""
    from django.db.models import Q

    from evidence.models import Reference

    return Reference.objects.filter(~Q(doi="") | ~Q(pmid="")).order_by("pk")


def without_identifier():
    """The demo's references with neither (labels, the NHS page, regulatory notices): checked by hand."""
    from evidence.models import Reference

    return Reference.objects.filter(doi="", pmid="").order_by("pk")


def verify_all() -> str:
    """Runs ``manage.py verify_references --all`` (live, here at the local sources); returns its output."""
    out = StringIO()
    call_command("verify_references", "--all", stdout=out)
    return out.getvalue()


def audited_pages() -> list:
    """The demo's guides and articles, as the audit sees them."""
    from articles.models import ArticlePage
    from home.demo.articles import ARTICLES
    from home.demo.medicines import MEDICINES
    from medicines.models import MedicinePage

    guides = list(MedicinePage.objects.live().specific().order_by("pk"))
    articles = list(ArticlePage.objects.live().specific().order_by("pk"))
    assert len(guides) == len(MEDICINES) == 10 and len(articles) == len(ARTICLES)
    return guides + articles


def test_every_demo_doi_and_pmid_has_one_recorded_answer_in_the_real_formats():
    references = list(with_identifier())
    dois = {reference.doi for reference in references if reference.doi}
    pmids = {reference.pmid for reference in references if reference.pmid}
    assert len(dois) == 7 and len(pmids) == 4
    crossref, pubmed = crossref_answers(), pubmed_answers()
    assert set(crossref) == dois
    assert set(pubmed) == pmids
    assert len(list((SOURCES / "crossref").glob("*.json"))) == 7 and len(list((SOURCES / "pubmed").glob("*.json"))) == 4
    for doi, answer in crossref.items():
        assert answer["status"] == "ok" and answer["message-type"] == "work", doi
        assert answer["message"]["type"] == "journal-article" and answer["message"]["issued"]["date-parts"][0][0]
    for pmid, answer in pubmed.items():
        assert answer["header"]["type"] == "esummary" and answer["result"][pmid]["uid"] == pmid


def test_verify_references_verifies_every_demo_doi_at_the_local_sources(sources, settings):
    from evidence.models import VerificationStatus

    serve(sources)
    untouched = list(without_identifier().values())
    assert len(untouched) >= 10  # the labels, the NHS page and the regulatory notices
    output = verify_all()

    references = list(with_identifier())
    lines = [line for line in output.splitlines() if line.startswith("[") and not line.endswith(": not_checked")]
    assert len(lines) == len(references) == 7
    assert all(line.endswith(": verified") for line in lines), output
    assert "Verified: 7" in output
    assert "Mismatch" not in output and "Not found" not in output and "Could not check" not in output
    for reference in references:
        assert reference.verification_status == VerificationStatus.VERIFIED, (reference, reference.verification_notes)
        assert reference.verification_notes == "matches Crossref" and reference.verified_at is not None
    # Each DOI was asked once, of the local server, which recorded it; nothing else was asked.
    assert settings.CROSSREF_API_URL == f"{sources.base_url}/crossref"
    assert sources.base_url.startswith("http://127.0.0.1:")
    assert sorted(sources.paths()) == sorted(crossref_path(reference.doi) for reference in references)
    assert {request["user_agent"] for request in sources.requests} == {settings.VERIFICATION_USER_AGENT}
    # References with neither identifier are left unchecked (--all notes why), and nothing else of them changes.
    left = [{**row, "verification_notes": ""} for row in without_identifier().values()]
    assert left == [{**row, "verification_notes": ""} for row in untouched]
    assert {row["verification_status"] for row in left} == {VerificationStatus.NOT_CHECKED}


def test_every_demo_pmid_verifies_at_pubmed_too(sources, settings):
    """The demo's PMIDs all sit on references that also have a DOI, which is asked first: ask PubMed directly."""
    from evidence.models import VerificationStatus
    from evidence.verification import check

    serve(sources)
    references = [reference for reference in with_identifier() if reference.pmid]
    assert len(references) == 4
    for reference in references:
        reference.doi = ""  # in memory only: the check then goes to PubMed
        verification = check(reference)
        assert verification.status == VerificationStatus.VERIFIED, (reference, verification.notes)
        assert verification.record.source == "PubMed"
    assert settings.PUBMED_EUTILS_URL == f"{sources.base_url}/pubmed"
    assert sorted(sources.paths()) == sorted(pubmed_path(reference.pmid) for reference in references)


@pytest.mark.parametrize("doi", PAPERS_WITH_TITLE_FROM_RECORDS)
def test_a_wrong_typed_title_is_a_mismatch(sources, doi):
    """A title typed differently from the record (here swapped for another paper's) is caught, on Crossref and,
    for Chou 2004, on PubMed too."""
    from evidence.models import Reference, VerificationStatus
    from evidence.verification import check

    serve(sources)
    reference = Reference.objects.get(doi=doi)
    reference.title = "Tizanidine for chronic neck pain: a randomised trial"  # in memory only
    verification = check(reference)
    assert verification.status == VerificationStatus.MISMATCH and verification.notes.startswith("title:")
    if reference.pmid == CHOU_PMID:
        reference.doi = ""
        verification = check(reference)
        assert verification.record.source == "PubMed"
        assert verification.status == VerificationStatus.MISMATCH and verification.notes.startswith("title:")


def test_load_demo_verifies_from_the_recorded_answers_and_no_page_has_a_verification_finding():
    """Offline (the demo fixture asks no source), the demo's DOIs and PMIDs are checked against the answers shipped
    with it: the Evidence audit shows no failed-verification finding at all, and no error, on any demo page."""
    from evidence.audit import Severity, audit_page
    from evidence.models import VerificationStatus

    references = list(with_identifier())
    assert len(references) == 7
    for reference in references:
        assert reference.verification_status == VerificationStatus.VERIFIED, (reference, reference.verification_notes)
        assert reference.verification_notes.startswith("matches ") and reference.verification_notes.endswith(
            "'s record as transcribed for the demo on 24 Nov 2026"
        )
    for page in audited_pages():
        findings = audit_page(page)
        assert [finding for finding in findings if finding.code == "failed-verification"] == [], page.title
        assert [finding for finding in findings if finding.severity == Severity.ERROR] == [], page.title
    # The audit still sees a source that could not be checked, and says what to do in the admin.
    chou = references[0]
    chou.verification_status = VerificationStatus.COULD_NOT_CHECK
    chou.save(update_fields=["verification_status"])
    findings = [f for page in audited_pages() for f in audit_page(page) if f.code == "failed-verification"]
    assert findings and all("save it to check it again" in finding.message for finding in findings)
    assert all("manage.py" not in finding.message for finding in findings)


def test_a_recorded_answer_that_differs_is_stored_as_a_mismatch_saying_so(tmp_path):
    from evidence.models import VerificationStatus
    from evidence.verification import verify_from_recorded

    (tmp_path / "crossref").mkdir()
    altered = copy.deepcopy(crossref_answers()[BROWNING_DOI])
    altered["message"]["issued"] = {"date-parts": [[1999]]}
    (tmp_path / "crossref" / "10.1001_archinte.161.13.1613.json").write_text(json.dumps(altered))
    from evidence.models import Reference

    browning = Reference.objects.get(doi=BROWNING_DOI)
    verification = verify_from_recorded(browning, tmp_path, "as recorded on 1 Dec 2026")
    browning.refresh_from_db()
    assert browning.verification_status == VerificationStatus.MISMATCH == verification.status
    assert browning.verification_notes == "year: typed 2001, source 1999 (Crossref's record as recorded on 1 Dec 2026)"
    assert verify_from_recorded(Reference.objects.get(doi="10.1126/science.959824"), tmp_path, "") is None


def test_a_recorded_title_that_differs_makes_a_mismatch_naming_the_title(sources):
    from evidence.audit import Severity, audit_page
    from evidence.models import Reference, VerificationStatus
    from medicines.models import MedicinePage

    altered = copy.deepcopy(crossref_answers())
    altered[BROWNING_DOI]["message"]["title"] = ["Tizanidine for chronic neck pain: a randomised trial"]
    serve(sources, crossref=altered)
    output = verify_all()

    assert re.search(r"Browning R 2001: mismatch$", output, re.M), output
    assert "Verified: 6" in output and "Mismatch: 1" in output
    browning = Reference.objects.get(doi=BROWNING_DOI)
    assert browning.verification_status == VerificationStatus.MISMATCH
    assert browning.verification_notes == (
        f"title: typed “{browning.title}”, source “Tizanidine for chronic neck pain: a randomised trial”"
    )
    guide = MedicinePage.objects.get(slug="cyclobenzaprine")
    errors = [finding for finding in audit_page(guide) if finding.severity == Severity.ERROR]
    assert [finding.code for finding in errors] == ["failed-verification"]
    assert "Browning R 2001" in errors[0].place and "source “Tizanidine for chronic neck pain" in errors[0].message


def test_the_evidence_audit_report_of_a_fresh_demo_shows_no_verification_warning(client):
    """What an editor sees first (Reports → Evidence audit): every demo page, with no problem found."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    report = client.get("/admin/reports/evidence-audit/").content.decode()
    pages = audited_pages()
    assert all(page.title in report for page in pages)
    assert report.count("No problems found.") == len(pages)
    for words in ("failed-verification", "could not be checked", "not been checked", "no DOI or PMID"):
        assert words not in report
