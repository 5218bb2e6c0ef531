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


def test_answers_are_recorded_as_given_and_read_back_offline(sources, settings, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    from evidence.verification import verify_from_recorded

    settings.VERIFY_REFERENCES_ON_SAVE = False
    answer = crossref_work()
    sources.crossref(CHOU_DOI, Reply(body=answer))
    reference = chou()
    unknown = chou(doi="10.5555/unknown")
    call_command("verify_references", "--all", "--record", str(tmp_path), stdout=StringIO())
    recorded = tmp_path / "crossref" / "10.1016_j.jpainsymman.2004.05.002.json"
    assert json.loads(recorded.read_text(encoding="utf-8")) == answer
    assert sorted(path.name for path in tmp_path.rglob("*.json")) == [recorded.name]  # nothing for the unknown DOI
    reference.refresh_from_db()
    unknown.refresh_from_db()
    assert (reference.verification_status, unknown.verification_status) == ("verified", "not_found")

    requests = len(sources.requests)
    verification = verify_from_recorded(reference, tmp_path, "as recorded on 7 Dec 2026")
    assert verification.status == VerificationStatus.VERIFIED and len(sources.requests) == requests
    assert reference.verification_notes == "matches Crossref's record as recorded on 7 Dec 2026"
