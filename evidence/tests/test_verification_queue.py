"""When a queued check runs and when saving asks for another: a reference that could not be checked is tried again
when an editor saves it; a queued check finds a reference checked since it was queued and leaves it be."""

import pytest

from evidence.models import Reference, VerificationStatus
from evidence.tasks import verify_reference_task
from evidence.tests.records import CHOU_DOI, crossref_work
from evidence.tests.test_verification import checks_queued, chou
from tests.fake_sources import Reply

pytestmark = pytest.mark.django_db


def test_saving_a_reference_that_could_not_be_checked_tries_again(
    sources, settings, django_capture_on_commit_callbacks
):
    settings.VERIFY_REFERENCES_ON_SAVE = True
    settings.VERIFICATION_RETRIES = 0
    sources.crossref(CHOU_DOI, Reply(502, "Bad gateway"), Reply(body=crossref_work()))
    with django_capture_on_commit_callbacks(execute=True):
        reference = chou()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.COULD_NOT_CHECK

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Reference.objects.get(pk=reference.pk).save()  # the editor's "Save" in the admin, nothing changed
    assert len(checks_queued(callbacks)) == 1
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.VERIFIED
    assert len(sources.requests) == 2


def test_a_queued_check_leaves_a_reference_checked_since(sources, settings):
    settings.VERIFY_REFERENCES_ON_SAVE = False
    reference = chou()
    Reference.objects.filter(pk=reference.pk).update(
        verification_status=VerificationStatus.VERIFIED, verification_notes="matches Crossref's record as recorded"
    )
    assert verify_reference_task.call(reference.pk) == VerificationStatus.VERIFIED
    assert sources.requests == []
    reference.refresh_from_db()
    assert reference.verification_notes == "matches Crossref's record as recorded"

    Reference.objects.filter(pk=reference.pk).update(verification_status=VerificationStatus.NOT_CHECKED)
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    assert verify_reference_task.call(reference.pk) == VerificationStatus.VERIFIED
    assert len(sources.requests) == 1
