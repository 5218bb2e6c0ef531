"""The Crossref and PubMed clients, against a real local HTTP server (never the internet)."""

import pytest

from evidence.resolvers import BACKOFF_CAP_SECONDS, CrossrefResolver, PubMedResolver, ResolverError
from evidence.tests.records import (
    CHOU_DOI,
    CHOU_PMID,
    CHOU_TITLE,
    WAKEFIELD_DOI,
    crossref_work,
    pubmed_summary,
    pubmed_unknown,
    retracted_work,
)
from tests.fake_sources import Reply


def test_crossref_record_is_normalised(sources, fake_sleep):
    path = sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    record = CrossrefResolver(sleep=fake_sleep).lookup(f"https://doi.org/{CHOU_DOI}")
    assert record.found and not record.retracted
    assert (record.title, record.author, record.year) == (CHOU_TITLE, "Chou", 2004)
    assert record.container == "Journal of Pain and Symptom Management"
    assert record.source == "Crossref"
    assert sources.paths() == [path]
    assert sources.requests[0]["user_agent"] == "Apothecary/test (mailto:test@localhost)"


def test_crossref_doi_is_quoted_in_the_path(sources, fake_sleep):
    path = sources.crossref(WAKEFIELD_DOI, Reply(body=retracted_work()))
    assert "%2F" in path and "%28" in path
    record = CrossrefResolver(sleep=fake_sleep).lookup(WAKEFIELD_DOI)
    assert record.retracted
    assert record.author == "Wakefield" and record.year == 1998
    assert sources.paths() == [path]


@pytest.mark.parametrize(
    "extra",
    [
        {"updated-by": [{"DOI": "10.1016/s0140-6736(10)60175-4", "type": "retraction", "source": "retraction-watch"}]},
        {"relation": {"is-retracted-by": [{"id-type": "doi", "id": "10.1/x", "asserted-by": "object"}]}},
    ],
)
def test_other_crossref_retraction_forms(extra):
    assert CrossrefResolver().parse(CHOU_DOI, crossref_work(**extra)).retracted
    correction = {"update-to": [{"DOI": "10.1/y", "type": "correction", "label": "Correction"}]}
    assert not CrossrefResolver().parse(CHOU_DOI, crossref_work(**correction)).retracted


def test_crossref_year_falls_back_to_published_dates_and_titles_lose_markup():
    record = CrossrefResolver().parse(
        CHOU_DOI,
        crossref_work(issued={"date-parts": [[None]]}, title=["Baclofen in <i>MS</i> &amp; spasticity"]),
    )
    assert record.year == 2004  # published-print
    assert record.title == "Baclofen in MS & spasticity"


def test_404_means_not_found(sources, fake_sleep):
    record = CrossrefResolver(sleep=fake_sleep).lookup("10.9999/nonexistent")
    assert not record.found
    assert len(sources.requests) == 1


def test_429_honours_retry_after_then_succeeds(sources, sleeps, fake_sleep):
    sources.crossref(
        CHOU_DOI,
        Reply(429, {"message": "slow down"}, {"Retry-After": "2"}),
        Reply(429, {"message": "slow down"}, {"Retry-After": "3600"}),
        Reply(body=crossref_work()),
    )
    record = CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    assert record.found
    assert sleeps == [2.0, BACKOFF_CAP_SECONDS]  # Retry-After honoured, capped
    assert len(sources.requests) == 3


def test_5xx_is_retried_with_exponential_backoff_then_gives_up(sources, sleeps, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(500, {"status": "error"}))
    with pytest.raises(ResolverError, match=r"^could not check: Crossref failed \(500\) \(tried 3 times\)"):
        CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    assert len(sources.requests) == 3  # the first attempt and VERIFICATION_RETRIES=2 retries
    assert sleeps == [1.0, 2.0]


def test_5xx_then_success(sources, sleeps, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(503, "busy"), Reply(body=crossref_work()))
    assert CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI).found
    assert sleeps == [1.0]


def test_timeout_is_retried_then_gives_up(sources, settings, sleeps, fake_sleep):
    settings.VERIFICATION_TIMEOUT = 0.2
    settings.VERIFICATION_RETRIES = 1
    sources.crossref(CHOU_DOI, Reply(body=crossref_work(), delay=1.0))
    with pytest.raises(ResolverError, match="timed out"):
        CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    assert len(sources.requests) == 2
    assert sleeps == [1.0]


def test_an_unreachable_source_fails_at_once(sources, settings, sleeps, fake_sleep):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CROSSREF_API_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(ResolverError, match="^could not check: Crossref could not be reached"):
        CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    assert sleeps == []


def test_malformed_json_cannot_be_checked(sources, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(body="<html>Gateway says hello</html>"))
    with pytest.raises(ResolverError, match="^could not check: Crossref did not answer with JSON"):
        CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    sources.crossref(CHOU_DOI, Reply(body={"status": "ok", "message": ["not", "a", "work"]}))
    with pytest.raises(ResolverError, match="^could not check: Crossref answered in an unexpected format"):
        CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)


def test_successful_answers_are_cached(sources, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    sources.pubmed(CHOU_PMID, Reply(body=pubmed_summary()))
    first = CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    assert CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI.upper()) == first
    PubMedResolver(sleep=fake_sleep).lookup(CHOU_PMID)
    PubMedResolver(sleep=fake_sleep).lookup(CHOU_PMID)
    assert len(sources.requests) == 2  # one per source


def test_failures_are_not_cached(sources, sleeps, fake_sleep):
    sources.crossref(CHOU_DOI, Reply(500, "down"))
    with pytest.raises(ResolverError):
        CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI)
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    assert CrossrefResolver(sleep=fake_sleep).lookup(CHOU_DOI).found


def test_pubmed_esummary_is_normalised(sources, fake_sleep):
    path = sources.pubmed(CHOU_PMID, Reply(body=pubmed_summary()))
    record = PubMedResolver(sleep=fake_sleep).lookup(CHOU_PMID)
    assert record.found and not record.retracted
    assert (record.title, record.author, record.year) == (CHOU_TITLE, "Chou", 2004)
    assert (record.container, record.short_container) == (
        "Journal of pain and symptom management",
        "J Pain Symptom Manage",
    )
    assert record.source == "PubMed"
    assert sources.paths() == [path]
    assert path.startswith("/pubmed/esummary.fcgi?db=pubmed&id=15276195&retmode=json")


def test_pubmed_unknown_pmid_and_retracted_publication(sources, fake_sleep):
    sources.pubmed("99999999", Reply(body=pubmed_unknown("99999999")))
    assert not PubMedResolver(sleep=fake_sleep).lookup("99999999").found
    sources.pubmed(
        "9500320", Reply(body=pubmed_summary("9500320", pubtype=["Journal Article", "Retracted Publication"]))
    )
    assert PubMedResolver(sleep=fake_sleep).lookup("9500320").retracted


def test_pubmed_unexpected_format(sources, fake_sleep):
    sources.pubmed(CHOU_PMID, Reply(body={"esummaryresult": ["Invalid uid"]}))
    with pytest.raises(ResolverError, match="^could not check: PubMed answered in an unexpected format"):
        PubMedResolver(sleep=fake_sleep).lookup(CHOU_PMID)
