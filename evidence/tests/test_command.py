"""``manage.py verify_references``: a progress line per reference and a summary per status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evidence.models import Reference, VerificationStatus
from evidence.tests.records import CHOU_DOI, CHOU_PMID, CHOU_TITLE, crossref_work, pubmed_summary
from tests.fake_sources import Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def references(sources):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    sources.pubmed(CHOU_PMID, Reply(body=pubmed_summary()))
    return [
        Reference.objects.create(authors="Chou R, Peterson K", title=CHOU_TITLE, year=2004, doi=CHOU_DOI),
        Reference.objects.create(authors="Chou R", title=CHOU_TITLE, year=2016, pmid=CHOU_PMID),
        Reference.objects.create(authors="Nobody N", title="A lost paper", year=2020, doi="10.9999/lost"),
        Reference.objects.create(title="Lioresal label", container="Novartis", url="https://example.org/label"),
    ]


def run(*args) -> str:
    out = StringIO()
    call_command("verify_references", *args, stdout=out)
    return out.getvalue()


def test_unchecked_references_are_checked_with_progress_and_a_summary(references):
    output = run("--unchecked")
    lines = output.splitlines()
    assert lines[:3] == [
        "[###       ] 1/3 Chou R 2004: verified",
        "[#######   ] 2/3 Chou R 2016: mismatch",
        "[##########] 3/3 Nobody N 2020: not_found",
    ]
    assert "Checked 3 references:" in output
    assert "  Verified: 1" in lines and "  Mismatch: 1" in lines and "  Not found: 1" in lines
    statuses = [r.verification_status for r in Reference.objects.order_by("pk")]
    assert statuses == ["verified", "mismatch", "not_found", "not_checked"]
    # Checked references are not checked again unless asked.
    assert run().strip() == "No references to check."


def test_all_rechecks_everything(references, sources):
    run()
    before = len(sources.requests)
    output = run("--all")
    assert "4/4 Novartis: not_checked" in output
    assert "  Not checked: 1" in output.splitlines()
    # Answers are cached for a day: rechecking found papers asks only about the one that was not found.
    assert len(sources.requests) == before + 1
    assert Reference.objects.get(pk=references[3].pk).verification_notes == "no DOI or PMID to check"
    assert Reference.objects.filter(verification_status=VerificationStatus.VERIFIED).count() == 1


def test_flags_are_exclusive(db):
    with pytest.raises(CommandError, match="not allowed with"):
        call_command("verify_references", "--all", "--unchecked", stdout=StringIO(), stderr=StringIO())
