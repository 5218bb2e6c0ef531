"""Importing a legacy article (``imports.articles`` and ``manage.py import_article``).

The seed page (``fixtures/baclofen-page.txt``, a copy of the page Apothecary started from) must come in as a
draft whose audit names each of its problems at its place; ``fixtures/wordpress-post.html`` is an invented
WordPress post with the markup a real one has (and a few hostile bits that must not survive).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import CommandError

from articles.models import ArticlePage
from evidence.audit import audit_page
from evidence.models import Reference, ReferenceKind, VerificationStatus
from evidence.tests.records import CHOU_TITLE, crossref_work
from imports.articles import drafts
from imports.articles.drafts import PRODUCT_BOX_TITLE
from imports.tests.article_helpers import DOE_DOI, SEED, SMITH_DOI, counts, run_import
from tests.factories import make_reference
from tests.fake_sources import Reply

pytestmark = pytest.mark.django_db

# --- the seed page: every problem at its place ---------------------------------------------------------------------

STUDIES = "Body, “Scientific Studies and Statistical Data”, table 1"
SIDE_EFFECT_DATA = "Body, “6. Side Effects of Baclofen” › “Scientific Studies and Statistical Data”"
QUOTES = "Body, “7. Baclofen and Off-Label Use” › “Quotes”"
SMITH = "References, [1] Smith AB 2018: The efficacy of baclofen for the treatment of spa…"
DOE = "References, [2] Doe J 2019: Baclofen as a treatment for muscle stiffness in s…"

SEED_FINDINGS = [
    # (severity, rule, place, words the message must contain)
    (
        "ERROR",
        "incomplete-reference",
        "References, [3] Sullivan CD: Sullivan CD, et al. (",
        ["“Sullivan CD, et al. (” is cut off"],
    ),
    ("ERROR", "incomplete-reference", SMITH, ["the author “Smith AB” is a placeholder"]),
    ("ERROR", "incomplete-reference", DOE, ["the author “Doe J” is a placeholder"]),
    (
        "ERROR",
        "incomplete-reference",
        "References, [4] SylviaandLinda: Baclofen",
        ["“SylviaandLinda” looks like a user name"],
    ),
    ("ERROR", "anonymous-study", f"{STUDIES}, row 1 (Study 1)", ["“Study 1” does not say which study"]),
    ("ERROR", "anonymous-study", f"{STUDIES}, row 2 (Study 2)", ["“Study 2” does not say which study"]),
    ("ERROR", "uncited-figure", f"{STUDIES}, row 1 (Study 1)", ["“80% of participants", "has no citation"]),
    ("ERROR", "uncited-figure", f"{STUDIES}, row 2 (Study 2)", ["“60% decrease", "has no citation"]),
    ("ERROR", "uncited-figure", f"{SIDE_EFFECT_DATA}, paragraph 1", ["“35.2%”, “21.4%” and “17.5%” have no citation"]),
    ("ERROR", "uncited-figure", f"{SIDE_EFFECT_DATA}, table 1, row 1 (Drowsiness)", ["“35.2%” has no citation"]),
    ("ERROR", "uncited-figure", f"{SIDE_EFFECT_DATA}, table 1, row 2 (Dizziness)", ["“21.4%” has no citation"]),
    ("ERROR", "uncited-figure", f"{SIDE_EFFECT_DATA}, table 1, row 3 (Weakness)", ["“17.5%” has no citation"]),
    ("ERROR", "repeated-tag", "Tags", ["“Baclofen” repeats “Baclofen”"]),
    ("ERROR", "unsourced-quote", f"{QUOTES}, quote 1", ["no source", "credited only to “Alcohol and Alcoholism”"]),
    (
        "ERROR",
        "unsourced-quote",
        f"{QUOTES}, quote 2",
        ["no source", "credited only to “Journal of Clinical Psychopharmacology”"],
    ),
    (
        "ERROR",
        "unsourced-quote",
        f"{QUOTES}, quote 3",
        ["no source", "credited only to “Journal of Psychopharmacology”"],
    ),
    (
        "WARNING",
        "duplicated-section",
        "Body, “6. Side Effects of Baclofen”",
        ["repeats the section “5. Potential Side Effects of Baclofen”", "a similar heading"],
    ),
    (
        "WARNING",
        "unnamed-study",
        f"{SIDE_EFFECT_DATA}, paragraph 1",
        ["only by its journal (“Journal of Pharmacology & Pharmacotherapeutics”)"],
    ),
    (
        "ERROR",
        "failed-verification",
        SMITH,
        [
            "does not match",
            "title: typed “The efficacy of baclofen for the treatment of spasticity in multiple sclerosis: "
            f"A systematic review”, source “{CHOU_TITLE}”",
            "first author: typed “Smith”, source “Chou”",
            "year: typed 2018, source 2004",
        ],
    ),
    (
        "ERROR",
        "failed-verification",
        DOE,
        ["no record of the source was found", f"Crossref does not know DOI {DOE_DOI}"],
    ),
]


@pytest.fixture
def seed_import(site_pages, sources):
    """The seed page imported by the command, with the fake Crossref answering Smith's DOI with another paper
    (Chou 2004) and Doe's with 404."""
    sources.crossref(SMITH_DOI, Reply(body=crossref_work()))
    sources.crossref(DOE_DOI, Reply(404, "Resource not found."))
    output = run_import(SEED)
    page = ArticlePage.objects.get()
    return SimpleNamespace(output=output, page=page, findings=audit_page(page), sources=sources)


def test_the_seed_page_audit_names_each_problem_at_its_place(seed_import):
    found = [(finding.severity.value, finding.code, finding.place, finding.message) for finding in seed_import.findings]
    missing = [
        (severity, code, place, words)
        for severity, code, place, words in SEED_FINDINGS
        if not any(
            (severity, code, place) == (s, c, p) and all(word in message for word in words)
            for s, c, p, message in found
        )
    ]
    assert missing == [], "\n".join(f"{s} {c} {p}: {m}" for s, c, p, m in found)
    for severity, code, place, _words in SEED_FINDINGS:
        assert f"{severity} {code}  {place}: " in seed_import.output  # printed, at its place


def test_the_command_prints_what_it_did_and_the_audit_summary(seed_import):
    output, page = seed_import.output, seed_import.page
    assert f"Imported “{page.title}” from {SEED} as a draft (page {page.pk}, not published)." in output
    assert "References: 6 (6 new, 0 reused)." in output
    assert "Checked Smith AB 2018 against its source: mismatch." in output
    assert "Checked Doe J 2019 against its source: not found." in output
    assert (
        output.count(
            "Kept a product box “Baclofen” (Price: $0,51 per pill; Active Ingredient: Baclofen; Dosage: 10mg, 25mg)"
        )
        == 3
    )
    assert "Dropped the comment form (“Leave a Reply”)" in output
    assert "See also “Exploring Baclofen - A Comprehensive Guide" in output and "no page has that title" in output
    errors = sum(finding.severity == "ERROR" for finding in seed_import.findings)
    warnings = len(seed_import.findings) - errors
    assert f"Audit: {errors} errors, {warnings} warnings." in output
    assert errors >= 19
    # The three DOIs were asked for, politely.
    asked = [request for request in seed_import.sources.requests if "/crossref/works/" in request["path"]]
    assert len(asked) == 3 and all(request["user_agent"].startswith("Apothecary") for request in asked)


def test_the_import_publishes_nothing(seed_import, client):
    page = seed_import.page
    assert not page.live and page.first_published_at is None and page.has_unpublished_changes
    assert page.revisions.count() == 1 and page.live_revision is None
    assert not ArticlePage.objects.live().exists()
    assert client.get("/articles/").content.decode().count(page.title) == 0
    assert client.get(f"/articles/{page.slug}/").status_code == 404


def test_the_seed_page_becomes_structured_content(seed_import):
    page = seed_import.page
    assert page.title.startswith("Discover the Benefits of Baclofen – A Commonly Prescribed Muscle Relaxant")
    assert page.summary.startswith("Baclofen is a commonly prescribed muscle relaxant medication")
    kinds = [block.block_type for block in page.body]
    assert kinds.count("table") == 5 and kinds.count("quote") == 3 and "product_box" not in kinds
    boxes = [block.value for block in page.body if block.block_type == "callout"]  # kept for the audit to check
    assert len(boxes) == 3 and {box["title"] for box in boxes} == {PRODUCT_BOX_TITLE}
    assert str(boxes[0]["text"]) == (
        "<p>Baclofen</p><p>Price: $0,51 per pill</p><p>Active Ingredient: Baclofen</p><p>Dosage: 10mg, 25mg</p>"
    )
    headings = [(block.value["level"], block.value["text"]) for block in page.body if block.block_type == "heading"]
    assert ("h2", "5. Potential Side Effects of Baclofen") in headings
    assert ("h3", "Common Side Effects") in headings and ("h3", "Quotes") in headings
    body = str(page.body.raw_data)
    for dropped in ("Leave a Reply", "Your email address", "Tags:", "See also"):
        assert dropped not in body
    quotes = [block.value for block in page.body if block.block_type == "quote"]
    assert [quote["attribution"] for quote in quotes] == [
        "Alcohol and Alcoholism",
        "Journal of Clinical Psychopharmacology",
        "Journal of Psychopharmacology",
    ]
    assert all(quote["reference"] is None for quote in quotes)
    assert page.imported_tags == "Baclofen, Baclofen" and page.imported_from == str(SEED)
    assert sorted(tag.name for tag in page.tags.all()) == ["Baclofen", "Muscle Relaxant"]  # taggit keeps each once


def test_the_seed_references_are_parsed_into_records(seed_import):
    rows = [row.reference for row in seed_import.page.numbered_references]
    fields = [(ref.kind, ref.authors, ref.year, ref.doi, ref.url) for ref in rows]
    assert fields == [
        (ReferenceKind.JOURNAL_ARTICLE, "Smith AB, et al.", 2018, SMITH_DOI, ""),
        (ReferenceKind.JOURNAL_ARTICLE, "Doe J, et al.", 2019, DOE_DOI, ""),
        (ReferenceKind.JOURNAL_ARTICLE, "Sullivan CD, et al.", None, "", ""),
        (ReferenceKind.WEB_PAGE, "SylviaandLinda", None, "", "https://www.drugs.com/baclofen.html"),
        (
            ReferenceKind.WEB_PAGE,
            "Centers for Disease Control and Prevention",
            2019,
            "",
            "https://www.cdc.gov/multiple-sclerosis/index.html",
        ),
        (ReferenceKind.JOURNAL_ARTICLE, "Prosperini L, Leonardi L, Tintore M", 2015, "10.1136/jnnp-2014-308468", ""),
    ]
    prosperini = rows[5]
    assert prosperini.title == "Baclofen for the treatment of spasticity in multiple sclerosis"
    assert (prosperini.container, prosperini.volume, prosperini.pages) == (
        "Journal of Neurology, Neurosurgery & Psychiatry",
        "86(6)",
        "590-596",
    )
    assert rows[3].container == "Drugs.com" and rows[3].title == "Baclofen"
    statuses = [ref.verification_status for ref in rows]
    assert statuses[:2] == [VerificationStatus.MISMATCH, VerificationStatus.NOT_FOUND]
    assert statuses[2:5] == [VerificationStatus.NOT_CHECKED] * 3  # nothing to look up


def test_reimporting_reuses_the_references(site_pages):
    existing = make_reference(doi=SMITH_DOI.upper(), title="Typed by an editor before")
    run_import(SEED, "--no-verify")
    references = Reference.objects.count()
    assert references == 6
    run_import(SEED, "--no-verify")
    assert Reference.objects.count() == references
    first, second = ArticlePage.objects.order_by("pk")
    assert [row.reference_id for row in first.numbered_references] == [
        row.reference_id for row in second.numbered_references
    ]
    assert first.numbered_references[0].reference_id == existing.pk
    assert first.slug != second.slug
    assert "References: 6 (0 new, 6 reused)." in run_import(SEED, "--no-verify")


def test_no_verify_leaves_the_references_unchecked(site_pages, sources):
    output = run_import(SEED, "--no-verify")
    assert sources.requests == []
    assert "Checked" not in output
    assert "has not been checked against its source yet" in output


def test_without_an_article_index_nothing_is_imported(site_pages):
    site_pages["articles"].delete()
    before = counts()
    with pytest.raises(CommandError, match="This site has no article index"):
        run_import(SEED)
    assert counts() == before


@pytest.mark.parametrize(
    "parent, message", [("home", "is not an article index"), (None, "There is no page with the id")]
)
def test_the_parent_must_be_an_article_index(site_pages, parent, message):
    parent_id = site_pages[parent].pk if parent else 999_999
    with pytest.raises(CommandError, match=message):
        run_import(SEED, "--parent", parent_id)
    assert ArticlePage.objects.count() == 0


def test_the_parent_can_be_given(site_pages):
    run_import(SEED, "--no-verify", "--parent", site_pages["articles"].pk)
    assert ArticlePage.objects.get().get_parent().pk == site_pages["articles"].pk


def test_a_failure_half_way_rolls_everything_back(site_pages, monkeypatch):
    def broken_log(**kwargs):
        raise RuntimeError("the log is down")

    monkeypatch.setattr(drafts, "log", broken_log)
    before = counts()
    with pytest.raises(RuntimeError):
        run_import(SEED, "--no-verify")
    assert counts() == before  # neither the references nor the page


def test_a_failing_crossref_does_not_stop_the_import(site_pages, sources):
    sources.crossref(SMITH_DOI, Reply(500, "Internal error"))
    sources.crossref(DOE_DOI, Reply(200, "this is not JSON"))
    output = run_import(SEED)
    page = ArticlePage.objects.get()
    smith, doe = (row.reference for row in page.numbered_references[:2])
    assert (smith.verification_status, doe.verification_status) == (VerificationStatus.COULD_NOT_CHECK,) * 2
    assert "WARNING failed-verification  " + SMITH + ": could not be checked" in output
