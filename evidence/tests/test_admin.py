"""The References admin shows each reference's verification, read-only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import Reference, VerificationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def mismatched():
    reference = Reference.objects.create(authors="Chou R", title="A checked paper", year=2018, doi="10.1000/x")
    Reference.objects.filter(pk=reference.pk).update(
        verification_status=VerificationStatus.MISMATCH,
        verification_notes="year: typed 2018, source 2016",
        verified_at=timezone.now(),
    )
    Reference.objects.create(title="An unchecked paper", url="https://example.org/")
    return reference


def test_listing_shows_and_filters_by_status(admin_client, mismatched):
    url = reverse("wagtailsnippets_evidence_reference:list")
    page = admin_client.get(url).content.decode()
    assert "Mismatch" in page and "Not checked" in page
    filtered = admin_client.get(url, {"verification_status": "mismatch"}).content.decode()
    assert "A checked paper" in filtered and "An unchecked paper" not in filtered


def test_edit_form_shows_the_verification_read_only_and_keeps_it_on_save(admin_client, mismatched):
    url = reverse("wagtailsnippets_evidence_reference:edit", args=[mismatched.pk])
    page = admin_client.get(url).content.decode()
    assert "year: typed 2018, source 2016" in page
    assert 'name="verification_status"' not in page and 'name="verification_notes"' not in page
    response = admin_client.post(
        url,
        {
            "kind": "article",
            "authors": "Chou R",
            "title": "A checked paper, retitled",
            "container": "",
            "year": "2018",
            "volume": "",
            "pages": "",
            "doi": "10.1000/x",
            "pmid": "",
            "url": "",
            "accessed": "",
            "verification_status": "verified",
        },
    )
    assert response.status_code == 302
    mismatched.refresh_from_db()
    assert mismatched.title == "A checked paper, retitled"
    assert mismatched.verification_status == VerificationStatus.MISMATCH


def test_save_and_check_the_source_checks_it_from_the_admin(admin_client, sources):
    """What the audit tells an editor to do with a reference not checked yet, done on the reference's screen."""
    from evidence.tests.records import CHOU_DOI, CHOU_TITLE, crossref_work
    from tests.fake_sources import Reply

    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    reference = Reference.objects.create(authors="Chou R, Peterson K", title=CHOU_TITLE, year=2004, doi=CHOU_DOI)
    Reference.objects.filter(pk=reference.pk).update(verification_status=VerificationStatus.COULD_NOT_CHECK)
    url = reverse("wagtailsnippets_evidence_reference:edit", args=[reference.pk])
    assert "Save and check the source" in admin_client.get(url).content.decode()
    data = {
        "kind": "article",
        "authors": "Chou R, Peterson K",
        "title": CHOU_TITLE,
        "container": "",
        "year": "2004",
        "volume": "",
        "pages": "",
        "doi": CHOU_DOI,
        "pmid": "",
        "url": "",
        "accessed": "",
        "action-check-source": "",
    }
    response = admin_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "Checked against its source: Verified (matches Crossref)." in response.content.decode()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.VERIFIED
