"""Importing a legacy article (``articles.importing``, ``manage.py import_article`` and the admin upload).

The seed page (``fixtures/baclofen-page.txt``, a copy of the page Apothecary started from) must come in as a
draft whose audit names each of its problems at its place; ``fixtures/wordpress-post.html`` is an invented
WordPress post with the markup a real one has (and a few hostile bits that must not survive).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from articles import importing
from articles.models import ArticlePage
from evidence.audit import audit_page
from evidence.models import Reference, ReferenceKind, VerificationStatus
from evidence.tests.records import CHOU_TITLE, crossref_work
from tests.factories import make_reference, make_user
from tests.fake_sources import Reply

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "baclofen-page.txt"
POST = FIXTURES / "wordpress-post.html"
SMITH_DOI = "10.1177/1352458516645450"
DOE_DOI = "10.1002/jcph.1337"


def run_import(*args) -> str:
    out = StringIO()
    call_command("import_article", *(str(arg) for arg in args), stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), ArticlePage.objects.count(), Reference.objects.count()


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
            "Skipped a product box “Baclofen” (Price: $0,51 per pill; Active Ingredient: Baclofen; Dosage: 10mg, 25mg)"
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
    headings = [(block.value["level"], block.value["text"]) for block in page.body if block.block_type == "heading"]
    assert ("h2", "5. Potential Side Effects of Baclofen") in headings
    assert ("h3", "Common Side Effects") in headings and ("h3", "Quotes") in headings
    body = str(page.body.raw_data)
    for dropped in ("Price:", "Active Ingredient", "Leave a Reply", "Your email address", "Tags:", "See also"):
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
    assert "has not been checked yet" in output


# --- plain text: the heuristics, on the seed's own structure --------------------------------------------------------


def test_the_seed_tables_are_cut_into_their_columns():
    document = importing.parse_text(SEED.read_text(encoding="utf-8"))
    tables = [(block.text, block.rows) for block in document.blocks if block.kind == "table"]
    assert tables == [
        (
            "",
            [
                ["Study", "Number of Participants", "Findings"],
                [
                    "Smith et al. (2018)[1]",
                    "200",
                    "Baclofen significantly reduced muscle spasticity in 90% of participants with multiple sclerosis.",
                ],
                [
                    "Doe et al. (2019)[2]",
                    "150",
                    "Individuals with spinal cord injuries experienced a 40% reduction in muscle stiffness after "
                    "Baclofen treatment.",
                ],
                [
                    "Sullivan et al. (2020)[3]",
                    "80",
                    "Baclofen showed considerable improvement in motor function and muscle tightness in children "
                    "with cerebral palsy.",
                ],
            ],
        ),
        (
            "",
            [
                ["Study", "Findings"],
                [
                    "Study 1",
                    "Baclofen demonstrated significant reduction in muscle spasticity in 80% of participants with "
                    "spinal cord injuries.",
                ],
                [
                    "Study 2",
                    "Patients with multiple sclerosis experienced a 60% decrease in muscle spasms after Baclofen "
                    "treatment.",
                ],
            ],
        ),
        (
            "",
            [
                ["Study", "Findings"],
                [
                    "Journal of Neurology, Neurosurgery, and Psychiatry",
                    "Baclofen significantly reduces muscle spasticity in spinal cord injury patients",
                ],
                [
                    "European Journal of Neurology",
                    "Baclofen reduces muscle tone and improves mobility in multiple sclerosis patients",
                ],
            ],
        ),
        (
            "",
            [
                ["Side Effect", "Percentage of Patients"],
                ["Drowsiness", "35.2%"],
                ["Dizziness", "21.4%"],
                ["Weakness", "17.5%"],
            ],
        ),
        (
            "Survey Results: Baclofen Usage in Off-Label Conditions",
            [
                ["Condition", "Effectiveness", "References"],
                ["Alcohol Dependence", "Reduces cravings and alcohol consumption", "“Alcohol and Alcoholism”"],
                [
                    "Substance Use Disorders",
                    "Reduces cravings and improves treatment outcomes",
                    "“Journal of Clinical Psychopharmacology”, “Journal of Addiction Medicine”",
                ],
                [
                    "Psychiatric Conditions",
                    "Decreases symptoms of anxiety and obsessive-compulsive disorder",
                    "“Journal of Psychopharmacology”, “Journal of Clinical Psychopharmacology”",
                ],
            ],
        ),
    ]


def test_plain_text_blocks_are_told_apart():
    document = importing.parse_text(SEED.read_text(encoding="utf-8"))
    blocks = document.blocks
    lists = [block for block in blocks if block.kind == "list"]
    assert (
        lists[0].items[0]
        == "Manage muscle spasms and involuntary contractions caused by conditions like multiple sclerosis."
    )
    assert not lists[0].ordered and lists[2].ordered  # "•" bullets, then "1. Improved Muscle Relaxation: …"
    lead_in = next(block for block in blocks if block.text == "Some common side effects of Baclofen include:")
    assert lead_in.kind == "paragraph"  # a sentence leading into a list, not a heading
    assert [block.text for block in blocks if block.kind == "heading" and block.level == 3][:2] == [
        "GABAergic mechanism of Baclofen",
        "Efficacy of Baclofen in reducing spasticity",
    ]
    references = [block.items for block in blocks if block.kind == "references"]
    assert [len(items) for items in references] == [3, 3]
    assert references[0][2] == "Sullivan CD, et al. ("
    assert (document.tags, document.categories) == (["Baclofen", "Baclofen"], ["Muscle Relaxant"])
    assert document.see_also == [
        "Exploring Baclofen - A Comprehensive Guide to Muscle Relaxant Medication and Online Ordering Benefits"
    ]


def test_a_paragraph_of_wrapped_lines_is_not_a_table():
    document = importing.parse_text(
        "A title\n\nBaclofen is a medicine that doctors prescribe\nfor muscle stiffness, and this line is wrapped\n"
        "like an e-mail.\n"
    )
    assert [block.kind for block in document.blocks] == ["paragraph"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Chou R, Peterson K, Helfand M. Comparative efficacy and safety of skeletal muscle relaxants. "
            "J Pain Symptom Manage. 2004;28(2):140-75. doi:10.1016/j.jpainsymman.2004.05.002",
            dict(
                authors="Chou R, Peterson K, Helfand M",
                title="Comparative efficacy and safety of skeletal muscle relaxants",
                container="J Pain Symptom Manage",
                year=2004,
                volume="28(2)",
                pages="140-75",
                doi="10.1016/j.jpainsymman.2004.05.002",
            ),
        ),
        (
            "Roe R. (2020). An invented paper. Example Journal, 3, 10-12. https://doi.org/10.5555/ABC.1. PMID: 123",
            dict(
                authors="Roe R",
                title="An invented paper",
                container="Example Journal",
                year=2020,
                volume="3",
                pages="10-12",
                doi="10.5555/ABC.1",
                pmid="123",
            ),
        ),
        ("Sullivan CD, et al. (", dict(authors="Sullivan CD, et al.", title="Sullivan CD, et al. (", truncated=True)),
    ],
)
def test_references_are_read_field_by_field(text, expected):
    parsed = importing.parse_reference(text)
    assert {name: getattr(parsed, name) for name in expected} == expected


# --- HTML: structure recognised, everything dangerous gone ---------------------------------------------------------


def test_a_wordpress_post_keeps_its_structure_and_loses_its_scripts(site_pages):
    output = run_import(POST, "--no-verify")
    page = ArticlePage.objects.get()
    assert page.title == "Placebonol Explained: A Made-Up Medicine for Testing"
    body = [(block.block_type, block.value) for block in page.body]
    assert [kind for kind, _ in body] == [
        "paragraph", "heading", "paragraph", "paragraph", "heading", "paragraph", "heading", "table", "quote",
    ]  # fmt: skip
    assert str(body[0][1]) == (
        "<p>Placebonol is an <b>invented</b> medicine used only to test the importer. "
        '<a href="https://example.org/placebonol">Read more</a> and this link goes nowhere.</p>'
    )
    assert (body[1][1]["text"], body[1][1]["level"]) == ("How Placebonol Is Taken", "h2")
    assert str(body[3][1]) == "<ul><li>Take it with water.</li><li>Store it in a <i>dry</i> place.</li></ul>"
    assert (body[4][1]["text"], body[4][1]["level"]) == ("Missed Doses", "h3")
    assert str(body[5][1]).startswith("<ol><li>Take it when you remember.</li>")
    table = body[7][1]
    assert table["caption"] == "Invented results of an invented trial"
    assert table["table"]["data"] == [["Group", "Share helped"], ["Placebonol", "42% [2]"], ["Nothing", "40%"]]
    assert body[8][1]["quote"] == "Placebonol is exactly as good as nothing."
    assert body[8][1]["attribution"] == "Example Journal of Invented Medicine"
    stored = str(page.body.raw_data) + page.summary + page.title
    for hostile in ("script", "stolen", "window.evil", "onclick", "onmouseover", "javascript", "iframe", "frames",
                    "color: red", "Example Pharmacy Blog", "Leave a Reply", "Price:", "$1,23"):  # fmt: skip
        assert hostile not in stored, hostile
    references = [row.reference for row in page.numbered_references]
    assert [(ref.authors, ref.year, ref.container, ref.doi, ref.kind) for ref in references] == [
        ("Roe R, Poe P", 2021, "Example J Invented Med", "10.5555/placebonol.2021", ReferenceKind.JOURNAL_ARTICLE),
        ("Example Agency", None, "", "", ReferenceKind.WEB_PAGE),
    ]
    assert references[1].url == "https://example.org/agency/placebonol"
    assert page.imported_tags == "Placebonol, testing, Placebonol"
    assert "Skipped a product box “Placebonol” (Price: $1,23 per pill; Active Ingredient: Nothing at all" in output
    assert "ERROR repeated-tag  Tags: “Placebonol” repeats “Placebonol”" in output
    assert (
        "ERROR uncited-figure  Body, “Example Figures”, table “Invented results of an invented trial”, row 2 (Nothing)"
        in output
    )
    assert "row 1 (Placebonol)" not in output  # "42% [2]" cites the second reference


def test_markers_are_renumbered_to_the_page_list_when_there_are_two_lists(site_pages):
    text = (
        "Two posts in one\n\nFirst post\n\nShown in 10% of people [1].\n\nReferences:\n\n"
        "1. Roe R. (2020). An invented paper. Example Journal, 3, 10-12. DOI: 10.5555/one\n\n"
        "Second post\n\nShown in 20% of people [1].\n\nReferences:\n\n"
        "1. Poe P. (2021). Another invented paper. Example Journal, 4, 1-2. DOI: 10.5555/two\n"
    )
    document = importing.parse_text(text)
    result = importing.create_draft(document, site_pages["articles"], origin="two-posts.txt")
    paragraphs = [str(block.value) for block in result.page.body if block.block_type == "paragraph"]
    assert paragraphs == ["<p>Shown in 10% of people [1].</p>", "<p>Shown in 20% of people [2].</p>"]
    assert [ref.doi for ref in result.references] == ["10.5555/one", "10.5555/two"]


# --- URL import, from a local server --------------------------------------------------------------------------------


@pytest.fixture
def web(settings):
    """A local web server: ``web.pages[path] = (status, content type, body, seconds to wait, headers)``;
    ``web.drips[path] = seconds`` sends that page's body one byte at a time, this long apart."""
    pages: dict[str, tuple] = {}
    drips: dict[str, float] = {}
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append({"path": self.path, "user_agent": self.headers.get("User-Agent", "")})
            status, content_type, body, delay, headers = pages.get(self.path, (404, "text/plain", b"Not here", 0, {}))
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.path in drips:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(drips[self.path])
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = True  # the server is on this machine
    settings.ARTICLE_IMPORT_TIMEOUT = 1
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield SimpleNamespace(pages=pages, drips=drips, requests=requests, url=lambda path: base + path)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_an_article_is_imported_from_an_address(site_pages, web):
    web.pages["/2024/05/placebonol/"] = (200, "text/html; charset=utf-8", POST.read_bytes(), 0, {})
    output = run_import(web.url("/2024/05/placebonol/"), "--no-verify")
    page = ArticlePage.objects.get()
    assert page.title == "Placebonol Explained: A Made-Up Medicine for Testing"
    assert page.imported_from == web.url("/2024/05/placebonol/")
    assert "as a draft" in output
    (request,) = web.requests
    assert request["user_agent"].startswith("Apothecary article importer")


def test_a_plain_text_address_is_read_as_text(site_pages, web):
    web.pages["/seed.txt"] = (200, "text/plain; charset=utf-8", SEED.read_bytes(), 0, {})
    run_import(web.url("/seed.txt"), "--no-verify")
    assert ArticlePage.objects.get().title.startswith("Discover the Benefits of Baclofen")


def test_a_redirect_is_followed_only_to_http(site_pages, web):
    web.pages["/moved"] = (302, "text/plain", b"", 0, {"Location": web.url("/post")})
    web.pages["/post"] = (200, "text/html", POST.read_bytes(), 0, {})
    web.pages["/sneaky"] = (302, "text/plain", b"", 0, {"Location": "file:///etc/passwd"})
    run_import(web.url("/moved"), "--no-verify")
    assert ArticlePage.objects.count() == 1
    with pytest.raises(CommandError, match="Only http:// and https:// addresses can be imported"):
        run_import(web.url("/sneaky"), "--no-verify")


def test_addresses_inside_the_servers_network_are_refused_by_default(site_pages, web, settings):
    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = False
    web.pages["/post"] = (200, "text/html", POST.read_bytes(), 0, {})
    with pytest.raises(CommandError, match=r"inside this server's network \(127\.0\.0\.1\)"):
        run_import(web.url("/post"))
    assert web.requests == []


# --- bad input: a clear error, nothing created ----------------------------------------------------------------------


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "make_source, message",
    [
        (lambda tmp, web, port: tmp / "missing.txt", r"There is no file “.*missing\.txt”\. Nothing was imported\."),
        (lambda tmp, web, port: tmp, r"is not a file"),
        (lambda tmp, web, port: _write(tmp / "empty.txt", b""), r"“.*empty\.txt” is empty\."),
        (lambda tmp, web, port: _write(tmp / "blank.txt", b"  \n\n\t\n"), r"is empty\."),
        (
            lambda tmp, web, port: _write(tmp / "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200)),
            r"“.*photo\.jpg” is a binary file, not HTML or plain text\.",
        ),
        (
            lambda tmp, web, port: _write(tmp / "shop.txt", b"Baclofen\n\nPrice: $0,51 per pill\n\nLeave a Reply\n"),
            r"No article text was found",
        ),
        (lambda tmp, web, port: f"http://127.0.0.1:{port}/post", r"could not be reached"),
        (lambda tmp, web, port: web.url("/gone"), r"answered 404 Not Found"),
        (lambda tmp, web, port: _serve(web, "/slow", delay=2.5), r"did not answer within 1 seconds"),
        (
            lambda tmp, web, port: _serve(web, "/leaflet.pdf", "application/pdf"),
            r"is application/pdf, not an HTML page",
        ),
        (lambda tmp, web, port: "ftp://example.org/post.txt", r"Only http:// and https:// addresses"),
        (lambda tmp, web, port: "http://example.org:99999/post", r"is not a valid address"),
        (lambda tmp, web, port: "http://[::1/post", r"is not a valid address"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_creates_nothing(
    site_pages, web, free_port, tmp_path, make_source, message
):
    source = make_source(tmp_path, web, free_port)
    before = counts()
    with pytest.raises(CommandError, match=message):
        run_import(source, "--no-verify")
    assert counts() == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _serve(web, path: str, content_type: str = "text/html", delay: float = 0) -> str:
    web.pages[path] = (200, content_type, b"<p>An article</p>", delay, {})
    return web.url(path)


def test_a_source_larger_than_the_cap_is_refused(site_pages, web, settings, tmp_path):
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError, match="larger than"):
        run_import(_write(tmp_path / "long.txt", b"Word " * 400))
    web.pages["/long"] = (200, "text/plain", b"Word " * 400, 0, {})
    with pytest.raises(CommandError, match="larger than"):
        run_import(web.url("/long"))
    assert ArticlePage.objects.count() == 0


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

    monkeypatch.setattr(importing, "log", broken_log)
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


# --- the admin upload -----------------------------------------------------------------------------------------------


@pytest.fixture
def editor(site_pages):
    return make_user("editor@example.com", groups=["Editors"], is_staff=True)


@pytest.fixture
def outsider(site_pages):
    """A user who may use the admin but not add pages anywhere."""
    user = make_user("outsider@example.com", is_staff=True)
    group = Group.objects.create(name="Admin readers")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    return user


def upload(name: str, data: bytes, content_type: str = "text/html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_an_editor_imports_an_article_from_the_admin(client, editor):
    client.force_login(editor)
    assert "Import an article" in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu item
    form = client.get(reverse("articles_import"))
    assert form.status_code == 200 and 'name="file"' in form.content.decode() and 'name="url"' in form.content.decode()

    response = client.post(reverse("articles_import"), {"file": upload("placebonol.html", POST.read_bytes())})

    page = ArticlePage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.owner == editor
    findings = audit_page(page)
    errors = sum(finding.severity == "ERROR" for finding in findings)
    warnings = len(findings) - errors
    assert errors and warnings
    edit_screen = client.get(response["Location"]).content.decode()
    assert f"Content audit: {errors} error{'s' if errors != 1 else ''}, {warnings} warning" in edit_screen
    entry = PageLogEntry.objects.get(page=page, action=importing.IMPORT_ACTION)
    assert entry.user == editor and entry.data["source"] == "placebonol.html"


def test_the_admin_imports_from_an_address(client, editor, web):
    web.pages["/post"] = (200, "text/html", POST.read_bytes(), 0, {})
    client.force_login(editor)
    response = client.post(reverse("articles_import"), {"url": web.url("/post")})
    assert response.status_code == 302
    assert ArticlePage.objects.get().imported_from == web.url("/post")


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, "Give either a file or an address to import (one of the two)."),
        (
            {"file": upload("a.html", b"<p>An article</p>"), "url": "https://example.org/post"},
            "Give either a file or an address to import (one of the two).",
        ),
        ({"file": upload("empty.html", b"")}, "The submitted file is empty."),
        (
            {"file": upload("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "image/png")},
            "is a binary file",
        ),
        ({"url": "ftp://example.org/post"}, "Only http:// and https:// addresses can be imported."),
    ],
)
def test_the_admin_form_explains_bad_input_and_creates_nothing(client, editor, data, error):
    client.force_login(editor)
    before = counts()
    response = client.post(reverse("articles_import"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert counts() == before


def test_the_admin_import_is_refused_without_permission_to_add_articles(client, outsider):
    client.force_login(outsider)
    assert "Import an article" not in client.get(reverse("wagtailadmin_home")).content.decode()
    refused = client.get(reverse("articles_import"), follow=True)
    assert refused.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert "Sorry, you do not have permission to access this area." in refused.content.decode()
    response = client.post(reverse("articles_import"), {"file": upload("post.html", POST.read_bytes())})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert ArticlePage.objects.count() == 0


def test_the_admin_import_needs_a_login(client, site_pages):
    response = client.get(reverse("articles_import"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_import_screen_says_what_happens(client, editor):
    client.force_login(editor)
    html = client.get(reverse("articles_import")).content.decode()
    assert re.search(r"becomes a <strong>draft</strong>", html) and "Nothing is" in html


# --- the fetch connects where it checked, and keeps one deadline ------------------------------------------------------


def test_a_rebinding_name_is_refused_the_fetch_connects_only_to_the_address_it_checked(monkeypatch, settings):
    """A name that resolves first to a public address, then to this machine: the importer resolves it once and
    connects to that public address, never to the second answer."""
    from articles import importing

    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = False
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    looked_up, connected = [], []

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        address = next(answers)
        looked_up.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def recording_connect(address, timeout=None, *args, **kwargs):
        connected.append(address[0])
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(importing.socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(importing.socket, "create_connection", recording_connect)
    with pytest.raises(importing.ImportFailed, match="could not be reached"):
        importing.fetch_url("http://rebind.example/post")
    assert looked_up == ["93.184.216.34"] and connected == ["93.184.216.34"]


def test_a_server_sending_a_byte_at_a_time_is_cut_at_the_deadline(web):
    """One deadline for the whole fetch: headers then a byte every 0.3 s would take 6 s; the import stops at 1 s."""
    from articles import importing

    web.pages["/drip"] = (200, "text/plain", b"x" * 20, 0, {})
    web.drips["/drip"] = 0.3
    started = time.monotonic()
    with pytest.raises(importing.ImportFailed, match="did not answer within 1 seconds"):
        importing.fetch_url(web.url("/drip"))
    assert time.monotonic() - started < 3  # cut at the deadline, not after the whole drip


@pytest.mark.parametrize("address", ["64:ff9b::a00:1", "2002:a00:1::1", "::ffff:10.0.0.1"])
def test_a_private_ipv4_address_inside_an_ipv6_one_is_refused(monkeypatch, settings, address):
    from articles import importing

    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = False
    monkeypatch.setattr(
        importing.socket,
        "getaddrinfo",
        lambda host, port, *args, **kwargs: [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))],
    )
    with pytest.raises(importing.ImportFailed, match="inside this server's network"):
        importing.check_address("http://sneaky.example/post")
