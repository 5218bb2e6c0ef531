"""Checking references against the (fake, local) Crossref and PubMed, and the check queued on save."""

from types import SimpleNamespace

import pytest

from evidence.models import Reference, VerificationStatus
from evidence.tests.records import (
    CHOU_DOI,
    CHOU_PMID,
    CHOU_TITLE,
    WAKEFIELD_DOI,
    crossref_work,
    pubmed_summary,
    retracted_work,
)
from evidence.verification import author_matches, journal_matches, title_similarity, verify_reference
from tests.fake_sources import Reply

pytestmark = pytest.mark.django_db


def chou(**overrides) -> Reference:
    fields = {
        "authors": "Chou R, Peterson K, Helfand M",
        "title": CHOU_TITLE,
        "container": "J Pain Symptom Manage",
        "year": 2004,
        "volume": "28(2)",
        "pages": "140-75",
        "doi": CHOU_DOI,
    }
    fields.update(overrides)
    return Reference.objects.create(**fields)


def test_a_matching_reference_is_verified_and_only_its_verification_is_saved(sources, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    reference = chou()
    stale = Reference.objects.get(pk=reference.pk)
    Reference.objects.filter(pk=reference.pk).update(title=CHOU_TITLE + " (edited meanwhile)")
    verification = verify_reference(stale, sleep=fake_sleep)
    assert verification.status == VerificationStatus.VERIFIED
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.VERIFIED
    assert reference.verification_notes == "matches Crossref"
    assert reference.verified_at is not None
    assert reference.title.endswith("(edited meanwhile)")  # an editor's text is never overwritten


def test_differences_are_listed(sources, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    reference = chou(title="Muscle relaxants for low back pain", authors="Smith J, Chou R", year=2018)
    verification = verify_reference(reference, sleep=fake_sleep)
    assert verification.status == VerificationStatus.MISMATCH
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.MISMATCH
    assert reference.verification_notes == (
        f"title: typed “Muscle relaxants for low back pain”, source “{CHOU_TITLE}”; "
        "first author: typed “Smith”, source “Chou”; "
        "year: typed 2018, source 2004"
    )


def test_small_differences_are_tolerated():
    assert (
        title_similarity(
            CHOU_TITLE + ".",
            "COMPARATIVE efficacy & safety of skeletal muscle relaxants for "
            "spasticity and musculoskeletal conditions - a systematic review",
        )
        >= 0.85
    )
    assert author_matches("chou R, Peterson K", "Chou")
    assert author_matches("Berg A", "van den Berg")
    assert not author_matches("Peterson K, Chou R", "Chou")
    assert journal_matches("Arch Intern Med", "Archives of Internal Medicine")
    assert journal_matches("J Pain Symptom Manage", "Journal of Pain and Symptom Management")
    assert journal_matches("Lancet", "The Lancet")
    assert journal_matches("N Engl J Med", "The New England Journal of Medicine")
    assert not journal_matches("BMJ", "The Lancet")


def test_a_wrong_journal_is_a_mismatch(sources, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    verification = verify_reference(chou(container="Mult Scler"), sleep=fake_sleep)
    assert verification.status == VerificationStatus.MISMATCH
    assert verification.notes == "journal: typed “Mult Scler”, source “Journal of Pain and Symptom Management”"


def test_a_retraction_wins_over_everything(sources, fake_sleep):
    sources.crossref(WAKEFIELD_DOI, Reply(body=retracted_work()))
    reference = Reference.objects.create(
        authors="Wakefield AJ, Murch SH, Anthony A",
        title="Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in "
        "children",
        container="Lancet",
        year=1999,
        doi=WAKEFIELD_DOI,
    )
    verification = verify_reference(reference, sleep=fake_sleep)
    assert verification.status == VerificationStatus.RETRACTED
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.RETRACTED
    assert reference.verification_notes.startswith(f"Crossref records a retraction for DOI {WAKEFIELD_DOI}")
    assert "year: typed 1999, source 1998" in reference.verification_notes


def test_an_unknown_doi_is_not_found(sources, fake_sleep):
    reference = chou(doi="10.9999/does-not-exist")
    assert verify_reference(reference, sleep=fake_sleep).status == VerificationStatus.NOT_FOUND
    reference.refresh_from_db()
    assert reference.verification_notes == "Crossref does not know DOI 10.9999/does-not-exist"


def test_rate_limiting_is_waited_out(sources, sleeps, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(429, "Too many requests", {"Retry-After": "1"}), Reply(body=crossref_work()))
    assert verify_reference(chou(), sleep=fake_sleep).status == VerificationStatus.VERIFIED
    assert sleeps == [1.0]
    assert len(sources.requests) == 2


@pytest.mark.parametrize(
    "reply, note",
    [
        (Reply(500, {"status": "error"}), "could not check: Crossref failed (500) (tried 3 times)"),
        (Reply(body="{not json"), "could not check: Crossref did not answer with JSON"),
        (Reply(body=crossref_work(), delay=1.0), "could not check: Crossref timed out (tried 2 times)"),
    ],
    ids=["server-errors", "malformed-json", "timeout"],
)
def test_a_source_failure_is_recorded_not_raised(sources, settings, fake_sleep, reply, note):
    settings.VERIFICATION_TIMEOUT = 0.2
    if reply.delay:
        settings.VERIFICATION_RETRIES = 1
    sources.crossref(CHOU_DOI, reply)
    reference = chou()
    verification = verify_reference(reference, sleep=fake_sleep)
    assert verification.status == VerificationStatus.COULD_NOT_CHECK
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.COULD_NOT_CHECK
    assert reference.verification_notes == note


def test_pubmed_is_used_when_there_is_no_doi(sources, fake_sleep):
    sources.pubmed(CHOU_PMID, Reply(body=pubmed_summary()))
    verification = verify_reference(chou(doi="", pmid=CHOU_PMID), sleep=fake_sleep)
    assert verification.status == VerificationStatus.VERIFIED
    assert verification.notes == "matches PubMed"
    assert sources.paths()[0].startswith("/pubmed/esummary.fcgi")


def test_pubmed_mismatch(sources, fake_sleep):
    sources.pubmed(CHOU_PMID, Reply(body=pubmed_summary()))
    reference = chou(doi="", pmid=CHOU_PMID, authors="Peterson K, Chou R", year=2005)
    verification = verify_reference(reference, sleep=fake_sleep)
    assert verification.status == VerificationStatus.MISMATCH
    assert verification.notes == "first author: typed “Peterson”, source “Chou”; year: typed 2005, source 2004"


def test_a_reference_with_only_a_url_is_not_checked(sources, fake_sleep):
    reference = Reference.objects.create(title="Baclofen label", url="https://example.org/label.pdf")
    verification = verify_reference(reference, sleep=fake_sleep)
    assert verification.status == VerificationStatus.NOT_CHECKED
    reference.refresh_from_db()
    assert reference.verification_notes == "no DOI or PMID to check"
    assert reference.verified_at is None
    assert sources.requests == []


# --- Checked on save ------------------------------------------------------------------------------------------------


def checks_queued(callbacks) -> list:
    """The checks queued on commit (other callbacks, such as the page cache's new content version, left out)."""
    return [callback for callback in callbacks if "queue_verification" in callback.__qualname__]


def test_saving_makes_no_request_when_turned_off(sources, settings, django_capture_on_commit_callbacks):
    settings.VERIFY_REFERENCES_ON_SAVE = False
    with django_capture_on_commit_callbacks(execute=True):
        reference = chou()
    assert sources.requests == []
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.NOT_CHECKED


def test_a_new_or_changed_identifier_is_checked_on_save(sources, settings, django_capture_on_commit_callbacks):
    settings.VERIFY_REFERENCES_ON_SAVE = True
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reference = chou()
    assert len(checks_queued(callbacks)) == 1  # the check's own save queues nothing (no recursion)
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.VERIFIED
    assert len(sources.requests) == 1

    # Editing the text of a verified reference does not recheck it…
    reference = Reference.objects.get(pk=reference.pk)
    reference.pages = "140-175"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reference.save()
    assert checks_queued(callbacks) == []

    # …a new DOI does: the old verdict is dropped at once, and the new DOI checked.
    reference = Reference.objects.get(pk=reference.pk)
    reference.doi = "10.9999/another"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reference.save()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.NOT_CHECKED
    for callback in callbacks:
        callback()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.NOT_FOUND
    assert len(sources.requests) == 2


def test_a_failing_check_never_blocks_saving(sources, settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.VERIFY_REFERENCES_ON_SAVE = True
    settings.VERIFICATION_RETRIES = 0
    sources.crossref(CHOU_DOI, Reply(502, "Bad gateway"))
    with django_capture_on_commit_callbacks(execute=True):
        reference = chou()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.COULD_NOT_CHECK

    def broken_enqueue(*args, **kwargs):
        raise RuntimeError("the queue is down")

    monkeypatch.setattr("evidence.tasks.verify_reference_task", SimpleNamespace(enqueue=broken_enqueue))
    with django_capture_on_commit_callbacks(execute=True):
        other = chou(doi="10.9999/other")
    assert Reference.objects.filter(pk=other.pk).exists()
