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
    # A range that spans bands says so (10% is common, 63% very common); its stored band is the upper figure's.
    assert re.search(r"Drowsiness \(transient\) Common to very common 10–63% 63% vs 36% on placebo", text)
    assert "Dizziness" in text and "5–15%" in text
    # Sections and tables.
    for heading in (
        "How it works",
        "How to take it",
        "Serious warnings and precautions",
        "Interactions",
        "Pregnancy",
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


def section_headings(html: str) -> list[str]:
    """The guide's section headings (h2), in page order."""
    return [re.sub(r"<[^>]+>", "", heading).strip() for heading in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def test_baclofen_guide_answers_first_with_key_facts_and_shows_only_the_sections_the_sheet_gives(demo, client):
    html = client.get("/medicines/baclofen/").content.decode()
    headings = section_headings(html)
    # Key facts come before the price box and the contents.
    assert headings.index("Key facts") < headings.index("On this page")
    facts = text_of_html(html.split('class="key-facts"', 1)[1].split("</section>", 1)[0])
    assert "What it is for Spasticity from multiple sclerosis" in facts
    assert "How it is taken By mouth. Adults usually start at 5 mg three times a day" in facts
    assert "Legal status Prescription only" in facts
    assert "Most important warning Do not stop taking baclofen suddenly" in facts
    assert re.search(r"Do not stop taking baclofen suddenly.*?href=\"#ref-2\"", html, re.S)  # cited: Lyvispah, [2]
    # Who should not take it, from the label, with its citation; the sections the sheet is silent on are not there.
    assert "Who should not take baclofen" in headings
    who = html.split('id="who-should-not"', 1)[1].split("</section>", 1)[0]
    assert "muscle spasm from rheumatic disorders" in who and 'href="#ref-1"' in who
    for silent in ("If you miss a dose", "If you take too much (overdose)", "How to store it", "Breastfeeding"):
        assert silent not in headings, silent
        assert f'href="#{silent}' not in html
    assert "Serious side effects: get help now" not in headings
    assert "Pregnancy" in headings and "Pregnancy and breastfeeding" not in headings


def test_baclofen_strengths_are_listed_by_amount(demo, client):
    text = text_of(client.get("/medicines/baclofen/"))
    positions = [text.index(f"{strength} tablet") for strength in ("5 mg", "10 mg", "20 mg")]
    assert positions == sorted(positions)


def test_no_demo_side_effect_band_disagrees_with_its_figures(demo, client):
    from medicines.models import SideEffect
    from medicines.models.choices import band_disagreement

    rows = list(SideEffect.objects.all())
    assert len(rows) > 20
    assert [
        (row.page_id, row.effect) for row in rows if band_disagreement(row.frequency, row.percent_low, row.percent_high)
    ] == []
    text = text_of(client.get("/medicines/baclofen/"))
    # Confusion 1–11% and nausea 4–12% span two bands: shown as such, never as only "more than 1 in 10".
    assert "Confusion Common to very common 1–11%" in text and "Nausea Common to very common 4–12%" in text
    assert "Headache Common (up to 1 in 10) 4–8%" in text


def test_studies_show_their_participants_where_the_sheet_gives_them(demo, client):
    from medicines.models import Study

    assert dict(Study.objects.exclude(participants=None).values_list("page__slug", "participants")) == {
        "baclofen": 175,
        "tizanidine": 525,
        "atorvastatin": 16066,
    }
    studies = client.get("/medicines/baclofen/").content.decode().split('id="studies"', 1)[1].split("</section>")[0]
    assert '<td class="num">175</td>' in studies
    assert studies.count('<td class="num">—</td>') == 4  # the reviews whose size the sheet does not give


def test_the_over_the_counter_guides_are_sold_without_a_prescription(demo, client):
    from catalogue.models import Product
    from medicines.models import LegalStatus, MedicinePage

    guides = {page.slug: page for page in MedicinePage.objects.live().filter(slug__in=["ibuprofen", "loratadine"])}
    assert set(guides) == {"ibuprofen", "loratadine"}
    assert {page.legal_status for page in guides.values()} == {LegalStatus.GENERAL_SALE}
    assert not any(page.requires_prescription for page in guides.values())
    assert guides["ibuprofen"].drug_class.title == "Non-steroidal anti-inflammatory drugs (NSAIDs)"
    assert guides["loratadine"].drug_class.title == "Antihistamines"
    products = {
        product.medicine.slug: (product.strength, [pack.units for pack in product.pack_list])
        for product in Product.objects.published().filter(medicine__in=guides.values()).grouped_with_packs()
    }
    assert products == {"ibuprofen": ("200 mg", [24, 36, 115]), "loratadine": ("10 mg", [10, 40, 90])}

    html = client.get("/medicines/loratadine/").content.decode()
    headings = section_headings(html)
    for heading in ("Key facts", "If you take too much (overdose)", "How to store it", "Pregnancy", "Breastfeeding"):
        assert heading in headings, heading
    assert "Over the counter" in text_of_html(html) and "Prescription only" not in text_of_html(html)
    assert "loratadine is one of the best choices" in html
    assert "dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=8d59f35f-9b84-def8-e053-2995a90aaba7" in html

    html = client.get("/medicines/ibuprofen/").content.decode()
    headings = section_headings(html)
    assert "Serious side effects: get help now" in headings and "Who should not take ibuprofen" in headings
    assert "Breastfeeding" not in headings and "If you miss a dose" not in headings  # the sheet: not verified / silent
    assert "Store between 20-25°C (68-77°F)" in html


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_guest_buys_a_demo_over_the_counter_product_and_keeps_the_e_mail(
    demo, client, settings, django_capture_on_commit_callbacks
):
    """Issue 13, acceptance 6, on the demo: a guest buys ibuprofen with a shipping method; the confirmation e-mail
    (HTML and text) holds the items, prices, shipping, total and address, and every link in it, the pharmacy's
    register, privacy notice and terms included, starts with SITE_URL (they lead there through /pharmacy/…/)."""
    from django.core import mail

    from catalogue.models import Pack
    from orders.models import Order
    from orders.tests.test_checkout_basics import buy, links

    settings.SITE_URL = "http://127.0.0.1:8401"
    pack = Pack.objects.filter(product__medicine__slug="ibuprofen").order_by("units").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert buy(client, pack, 1, shipping="standard").status_code == 303
    order = Order.objects.get(email="guest@example.com")
    line = order.lines.get()
    assert order.total == pack.price + order.shipping_cost and order.shipping_cost > 0
    (message,) = [message for message in mail.outbox if message.to == ["guest@example.com"]]
    html, _mimetype = message.alternatives[0]
    for part in (message.body, html):
        for shown in (line.description, order.shipping_label, "Sam Guest", "7 Mill Lane", "United Kingdom"):
            assert shown in part, shown
        for amount in (pack.price, order.shipping_cost, order.total):
            assert f"${amount}" in part, amount
        assert "Apothecary Demo Pharmacy Ltd (fictional)" in part
        found = links(part)
        assert f"{settings.SITE_URL}/pharmacy/register/" in found
        assert all(link.startswith(settings.SITE_URL + "/") for link in found), found

    register = client.get("/pharmacy/register/")
    assert register.status_code == 302 and register["Location"].startswith("https://register.example.org/")
