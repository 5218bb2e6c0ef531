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
