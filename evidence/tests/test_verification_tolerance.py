"""Verification tolerates what real records do (a trailing group sentence, a subtitle kept apart, case,
punctuation, Unicode dashes, markup) and still catches a reference that names a different paper."""

import pytest

from evidence.models import Reference, VerificationStatus
from evidence.tests.records import (
    CHOU_DOI,
    CHOU_TITLE,
    UK_TIZANIDINE_PMID,
    UK_TIZANIDINE_TITLE,
    crossref_work,
    uk_tizanidine_summary,
)
from evidence.verification import title_similarity, title_variants, verify_reference
from tests.fake_sources import Reply

pytestmark = pytest.mark.django_db

TRIAL_AS_PRINTED = dict(
    authors="United Kingdom Tizanidine Trial Group",
    title=UK_TIZANIDINE_TITLE,
    container="Neurology",
    year=1994,
    volume="44(11 Suppl 9)",
    pages="S70-8",
    pmid=UK_TIZANIDINE_PMID,
)
# Chou 2004 as Crossref keeps many papers: the title and its subtitle in separate fields.
SPLIT_TITLE, SUBTITLE = CHOU_TITLE.split(": ")


def verify(sources, fake_sleep, **fields):
    return verify_reference(Reference.objects.create(**fields), sleep=fake_sleep)


def test_a_pubmed_title_ending_with_the_study_group_verifies_as_the_paper_prints_it(sources, fake_sleep):
    sources.pubmed(UK_TIZANIDINE_PMID, Reply(body=uk_tizanidine_summary()))
    verification = verify(sources, fake_sleep, **TRIAL_AS_PRINTED)
    assert verification.status == VerificationStatus.VERIFIED, verification.notes
    assert verification.record.title.endswith("United Kingdom Tizanidine Trial Group")


def test_a_title_naming_a_different_trial_still_fails_beside_a_group_sentence(sources, fake_sleep):
    sources.pubmed(UK_TIZANIDINE_PMID, Reply(body=uk_tizanidine_summary()))
    wrong = {**TRIAL_AS_PRINTED, "title": "A placebo-controlled trial of baclofen in spasticity after stroke"}
    verification = verify(sources, fake_sleep, **wrong)
    assert verification.status == VerificationStatus.MISMATCH
    assert verification.notes.startswith("title: typed “A placebo-controlled trial of baclofen")


@pytest.mark.parametrize(
    "typed",
    [
        CHOU_TITLE,  # as the paper prints it: "Title: subtitle"
        f"{SPLIT_TITLE} – {SUBTITLE.upper()}",  # an en dash, another case
        SPLIT_TITLE,  # the title without its subtitle
    ],
)
def test_a_crossref_subtitle_in_its_own_field_verifies(sources, fake_sleep, typed):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work(title=[SPLIT_TITLE], subtitle=[SUBTITLE])))
    verification = verify(
        sources, fake_sleep, authors="Chou R, Peterson K", title=typed, container="J Pain Symptom Manage", year=2004,
        doi=CHOU_DOI,
    )  # fmt: skip
    assert verification.status == VerificationStatus.VERIFIED, verification.notes
    assert verification.record.title == CHOU_TITLE and verification.record.main_title == SPLIT_TITLE


def test_a_different_paper_fails_against_a_split_title(sources, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work(title=[SPLIT_TITLE], subtitle=[SUBTITLE])))
    verification = verify(
        sources, fake_sleep, authors="Chou R", title="Cyclobenzaprine and back pain: a meta-analysis", year=2004,
        doi=CHOU_DOI,
    )  # fmt: skip
    assert verification.status == VerificationStatus.MISMATCH and verification.notes.startswith("title:")


def test_markup_in_either_title_and_unicode_dashes_are_ignored(sources, fake_sleep):
    marked_up = CHOU_TITLE.replace("skeletal muscle relaxants", "<i>skeletal muscle relaxants</i>")
    sources.crossref(CHOU_DOI, Reply(body=crossref_work(title=[marked_up.replace(": ", " — ")])))
    verification = verify(sources, fake_sleep, authors="Chou R", title=marked_up, year=2004, doi=CHOU_DOI)
    assert verification.status == VerificationStatus.VERIFIED, verification.notes


def test_group_sentences_are_recognised_and_a_title_is_never_cut_to_nothing():
    record = uk_tizanidine_summary()["result"][UK_TIZANIDINE_PMID]["title"].rstrip(".")
    assert title_variants(record) == [record, UK_TIZANIDINE_TITLE]
    for ending in ("The ACME Study Group", "on behalf of the EXAMPLE Investigators", "Writing Committee"):
        assert title_variants(f"{UK_TIZANIDINE_TITLE}. {ending}.")[-1] == UK_TIZANIDINE_TITLE
    assert title_variants("Study group.") == ["Study group."]
    assert title_similarity(UK_TIZANIDINE_TITLE, record) == 1.0
    assert title_similarity("Tizanidine for chronic neck pain", record) < 0.85
