"""What search engines and feed readers see: canonical URLs, OpenGraph and Twitter cards, robots.txt,
the sitemap and the Atom feed."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from medicines.models import MedicinePage
from tests.factories import make_article, make_medicine

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = settings.SITE_URL.rstrip("/")  # build_site puts the Wagtail site at SITE_URL
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
META_TAGS = ("og:title", "og:description", "og:url", "og:type", "og:site_name")


def head_of(response) -> str:
    assert response.status_code in (200, 404)
    return response.content.decode().split("</head>")[0]


def meta(head: str, key: str) -> str | None:
    """The content of ``<meta property|name="key">``."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', head)
    return match.group(1) if match else None


def canonical(head: str) -> str | None:
    match = re.search(r'<link rel="canonical" href="([^"]*)">', head)
    return match.group(1) if match else None


# --- Canonical, OpenGraph, Twitter ---------------------------------------------------------------------------------


def test_every_kind_of_page_has_canonical_opengraph_and_twitter_tags(client, medicine, drug_class, site_pages):
    article = make_article(site_pages["articles"])
    urls = ["/", "/medicines/", "/classes/", drug_class.url, medicine.url, "/articles/", article.url, "/search/?q=x"]
    for url in urls:
        head = head_of(client.get(url))
        assert canonical(head) and canonical(head).startswith(f"{SITE}/"), url
        for key in META_TAGS:
            assert meta(head, key), f"{key} missing on {url}"
        assert meta(head, "og:url") == canonical(head), url
        assert meta(head, "og:site_name") == "Apothecary", url
        assert meta(head, "twitter:card") == "summary", url
        assert meta(head, "twitter:title") == meta(head, "og:title"), url
        assert meta(head, "description") == meta(head, "og:description") == meta(head, "twitter:description"), url
        assert head.count('rel="canonical"') == 1 and head.count('name="description"') == 1, url


def test_guide_meta_comes_from_the_guide(client, medicine):
    head = head_of(client.get(medicine.url))
    assert canonical(head) == f"{SITE}/medicines/baclofen/"
    assert meta(head, "og:title") == "Baclofen"
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:description") == medicine.summary
    assert '<link rel="alternate" type="application/atom+xml"' in head and 'href="/feed/"' in head

    medicine.search_description = "Baclofen: uses, side effects and prices."
    medicine.seo_title = "Baclofen tablets and liquid"
    medicine.save_revision().publish()
    head = head_of(client.get(medicine.url))
    assert meta(head, "description") == "Baclofen: uses, side effects and prices."
    assert meta(head, "og:title") == "Baclofen tablets and liquid"


def test_meta_text_is_escaped_and_the_query_string_left_out(client, site_pages, drug_class):
    guide = make_medicine(site_pages["medicines"], drug_class, summary='Says "hi" <b>& more</b> [1]')
    head = head_of(client.get(guide.url + "?utm_source=mail&q=<x>"))
    assert meta(head, "og:description") == "Says &quot;hi&quot; &lt;b&gt;&amp; more&lt;/b&gt;"
    assert canonical(head) == f"{SITE}/medicines/baclofen/"
    assert "<x>" not in head


def test_canonical_keeps_only_the_parameters_that_pick_a_listing(client, medicine):
    head = head_of(client.get("/medicines/?letter=B&sort=x"))
    assert canonical(head) == f"{SITE}/medicines/?letter=B"
    head = head_of(client.get("/search/?q=baclofen&page=2"))
    assert canonical(head) == f"{SITE}/search/?page=2"
    head = head_of(client.get("/medicines/?page=1"))
    assert canonical(head) == f"{SITE}/medicines/"


def test_article_meta_is_an_article_described_by_its_summary(client, site_pages):
    article = make_article(site_pages["articles"], summary="Why doses are tapered.")
    head = head_of(client.get(article.url))
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:description") == "Why doses are tapered."
    assert canonical(head) == f"{SITE}{article.url}"


# --- robots.txt ------------------------------------------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_points_at_the_sitemap(client, site_pages):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/account/", "/cart/", "/checkout/", "/orders/", "/prescriptions/", "/api/staff/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert "Disallow: /" not in lines and "Disallow: /medicines/" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


# --- The sitemap ------------------------------------------------------------------------------------------------------


def sitemap_entries(client) -> dict[str, str | None]:
    """{location: lastmod or None} from /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.findall(f"{SITEMAP}url")}


def test_sitemap_lists_live_public_pages_with_their_last_publication_date(client, medicine, drug_class, site_pages):
    draft = make_medicine(site_pages["medicines"], drug_class, title="Draftofen")
    draft.unpublish()
    private = make_article(site_pages["articles"], title="Staff notes")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    entries = sitemap_entries(client)

    assert f"{SITE}/medicines/baclofen/" in entries
    assert f"{SITE}/medicines/draftofen/" not in entries
    assert f"{SITE}{private.url}" not in entries
    medicine.refresh_from_db()
    drug_class.refresh_from_db()
    assert entries[f"{SITE}/medicines/baclofen/"] == medicine.last_published_at.date().isoformat()
    assert entries[f"{SITE}{drug_class.url}"] == drug_class.last_published_at.date().isoformat()


def test_every_sitemap_entry_has_a_lastmod(client, medicine):
    """The home page and the sections that ``build_site`` creates included (they must have been published)."""
    entries = sitemap_entries(client)
    assert f"{SITE}/" in entries and f"{SITE}/medicines/" in entries
    missing = sorted(location for location, lastmod in entries.items() if not lastmod)
    assert missing == [], f"sitemap entries without <lastmod>: {missing}"


# --- The Atom feed ----------------------------------------------------------------------------------------------------


def feed_entries(client) -> tuple[ET.Element, list[ET.Element]]:
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_feed_lists_live_guides_and_articles_newest_change_first(client, medicine, drug_class, site_pages):
    make_article(site_pages["articles"], title="Stopping baclofen safely", summary="Taper <slowly> & safely.")
    draft = make_article(site_pages["articles"], title="Draft article")
    draft.unpublish()
    private = make_article(site_pages["articles"], title="Staff notes")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    medicine.save_revision().publish()  # re-published: the newest change

    root, entries = feed_entries(client)
    assert root.findtext(f"{ATOM}title") == "Apothecary: new and updated medicine guides and articles"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Apothecary"
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Baclofen", "Stopping baclofen safely"]  # no draft, no private page, no class or index page

    medicine.refresh_from_db()
    guide = entries[0]
    assert guide.find(f"{ATOM}link").get("href") == f"{SITE}/medicines/baclofen/"
    assert guide.findtext(f"{ATOM}updated") == medicine.last_published_at.isoformat()
    assert guide.findtext(f"{ATOM}published") == medicine.first_published_at.isoformat()
    assert guide.findtext(f"{ATOM}summary") == "Baclofen is a medicine."
    summary = entries[1].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "Taper &lt;slowly&gt; &amp; safely."  # shown as written, never as markup
    assert root.findtext(f"{ATOM}updated") == guide.findtext(f"{ATOM}updated")


def test_feed_holds_the_twenty_most_recently_published(client, medicine, site_pages):
    articles = [make_article(site_pages["articles"], title=f"Article {n:02d}") for n in range(21)]
    start = timezone.now() - timedelta(days=30)
    for n, article in enumerate(articles):  # Article 20 is the newest
        Page.objects.filter(pk=article.pk).update(last_published_at=start + timedelta(days=n))
    MedicinePage.objects.filter(pk=medicine.pk).update(last_published_at=start - timedelta(days=1))
    _, entries = feed_entries(client)
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [f"Article {n:02d}" for n in range(20, 0, -1)]
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True)


def test_feed_answers_reads_only(client, site_pages):
    assert client.post("/feed/").status_code == 405


def test_a_site_bigger_than_one_part_gets_a_sitemap_index_of_parts_each_in_constant_queries(
    client, medicine, site_pages, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from seo import sitemaps

    monkeypatch.setattr(sitemaps, "PART_SIZE", 3)

    def parts() -> list[str]:
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}sitemapindex"
        return [entry.findtext(f"{SITEMAP}loc") for entry in root.findall(f"{SITEMAP}sitemap")]

    def read_part(location: str) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(location.removeprefix(SITE))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        return [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")], len(queries)

    small = parts()
    assert small[0] == f"{SITE}/sitemap-pages.xml?p=1"
    _, small_queries = read_part(small[0])
    for number in range(7):
        make_article(site_pages["articles"], title=f"Sitemap article {number}")
    large = parts()
    live = Page.objects.live().public().filter(depth__gt=1)
    assert len(large) == -(-live.count() // 3) > len(small)
    listed, large_queries = [], []
    for location in large:
        urls, queries = read_part(location)
        assert 1 <= len(urls) <= 3
        listed += urls
        large_queries.append(queries)
    assert sorted(listed) == sorted(page.get_full_url() for page in live)
    assert set(large_queries) == {small_queries}
    assert client.get("/sitemap-pages.xml?p=99").status_code == 404
    assert client.get("/sitemap-other.xml").status_code == 404
