"""The demo site as a reader sees it: every element of the guide, and no private data anywhere.

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

import re

import pytest
from django.utils import dateformat, timezone

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's visible text, roughly: tags removed, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_baclofen_guide_shows_every_element_with_the_fact_sheet_figures(demo, client):
    response = client.get("/medicines/baclofen/")
    assert response.status_code == 200
    html, text = response.content.decode(), text_of(response)
    # Identity, legal status, review line, breadcrumbs by class.
    assert "Lioresal (UK)" in text and "Ozobax" in text and "Lyvispah" in text
    assert "Gablofen" not in text.split("Brand names:")[1].split("Prescription only")[0]
    assert "Prescription only" in text
    loaded_on = dateformat.format(timezone.localdate(), "j F Y")  # the demo's pharmacist approved it when it loaded
    assert f"Medically reviewed by Sam Rivera, PharmD (demo account) on {loaded_on} · next review due" in text
    assert 'href="/classes/skeletal-muscle-relaxants/"' in html
    # The price box: every strength that exists, per tablet and per pack, stock, and no 25 mg.
    for strength in ("5 mg tablet", "10 mg tablet", "20 mg tablet"):
        assert strength in text
    assert "25 mg" not in text
    assert "$0.51 per tablet" in text and "Out of stock" in text and "illustrative" in text
    # Side effects with label frequencies and a numbered source.
    assert re.search(r"Drowsiness \(transient\) Very common \(more than 1 in 10\) 10–63% 63% vs 36% on placebo", text)
    assert "Dizziness" in text and "5–15%" in text
    # Sections and tables.
    for heading in (
        "How it works",
        "How to take it",
        "Serious warnings and precautions",
        "Interactions",
        "Pregnancy and breastfeeding",
        "Off-label uses",
        "Studies",
        "References",
        "See also",
        "Questions and comments",
    ):
        assert f">{heading}</h2>" in html, heading
    assert "Alcohol use disorder" in text and "Moderate" in text and "RR 0.87" in text
    assert "https://doi.org/10.1177/1352458516643600" in html and "PMID 27207462" in text
    assert "https://doi.org/10.1002/14651858.CD012557.pub3" in html
    assert "Disclaimer." in text
    # Comments: approved questions with a pharmacist's answer; the pending one is not shown.
    assert "Pharmacist" in text
    from discussion.models import Comment, CommentStatus

    pending = Comment.objects.get(status=CommentStatus.PENDING)
    assert pending.body[:40] not in text


def test_every_citation_number_points_at_a_listed_reference(demo, client):
    for url in ("/medicines/baclofen/", "/medicines/tizanidine/", "/medicines/dantrolene/"):
        html = client.get(url).content.decode()
        cited = set(re.findall(r'href="#ref-(\d+)"', html))
        listed = set(re.findall(r'<li id="ref-(\d+)"', html))
        assert cited and cited <= listed, url


def test_boxed_warning_only_where_the_label_has_one(demo, client):
    assert 'class="boxed-warning"' in client.get("/medicines/dantrolene/").content.decode()
    assert 'class="boxed-warning"' in client.get("/medicines/metformin/").content.decode()
    assert 'class="boxed-warning"' not in client.get("/medicines/baclofen/").content.decode()
    carisoprodol = client.get("/medicines/carisoprodol/").content.decode()
    assert "Controlled: Schedule IV" in carisoprodol


def test_no_email_address_appears_on_any_public_page(demo, client):
    """Commenters' and staff e-mail addresses never reach a public page."""
    from django.contrib.auth import get_user_model
    from taggit.models import Tag
    from wagtail.models import Page

    from discussion.models import Comment

    emails = set(Comment.objects.values_list("author_email", flat=True))
    emails |= set(get_user_model().objects.values_list("email", flat=True))
    assert len(emails) >= 4
    urls = [page.url for page in Page.objects.live().specific() if page.url]
    urls += [f"{url}?comments=2" for url in urls]
    urls += [f"/tags/{slug}/" for slug in Tag.objects.values_list("slug", flat=True)]
    urls += [
        "/search/?q=baclofen",
        "/search/?q=pharmacist",
        "/search/?q=example.com",
        "/sitemap.xml",
        "/feed/",
        "/robots.txt",
    ]
    urls += ["/no-such-page/"]
    checked = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode().lower()
        for email in emails:
            assert email.lower() not in body, f"{email} appears on {url}"
        assert "@example.com" not in body, url
        checked += 1
    assert checked >= 30


def test_every_demo_guide_and_article_passes_the_content_audit_without_errors(demo):
    from wagtail.models import Page

    from evidence.audit import Severity, audit_page

    pages = [page for page in Page.objects.live().specific() if hasattr(page, "audit_content")]
    assert len(pages) >= 11
    errors = [
        (page.title, finding) for page in pages for finding in audit_page(page) if finding.severity == Severity.ERROR
    ]
    assert errors == []
