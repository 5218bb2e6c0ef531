"""With the page cache off, a guide is still not worked out afresh on each request, and is never stale.

Three things are kept per content version (apothecary/core/freshness.py): Wagtail's routes
(apothecary/core/routing.py), the guide as published (``{% fragment %}``, apothecary/core/fragments.py) and each
page's "see also" (``articles.services.published_see_also``). Each test makes one kind of change after a first
visit and finds it on the next request; a preview, a signed-in reader, a cart and each visitor's CSRF token stay
out of what is kept.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from articles.models import ArticleIndexPage
from discussion import services as discussion
from discussion.forms import make_timestamp
from discussion.models import Comment
from evidence.models import VerificationStatus
from home.models import PharmacySettings
from tests.factories import make_article, make_medicine, make_product, make_user

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
FORM_STAMP = re.compile(r'name="timestamp" value="[^"]+"')


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def guide(medicine):
    make_product(medicine, strength="10 mg", packs=((84, "12.00", 1),))
    return medicine


@pytest.fixture
def tizanidine(site_pages, drug_class):
    """A second guide in the same class with a tag of baclofen's: the closest page in baclofen's "see also"."""
    return make_medicine(site_pages["medicines"], drug_class, title="Tizanidine", tags=["spasticity"])


def visit(path, client=None):
    """One request; returns the response and the SQL queries it ran."""
    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def html(path, client=None) -> str:
    response, _ = visit(path, client)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def per_request(body: bytes) -> str:
    """The page without what each request has of its own: CSRF tokens and the comment form's signed timestamp."""
    return FORM_STAMP.sub("", TOKEN.sub("", body.decode()))


def see_also(page_html: str) -> str:
    match = re.search(r'<nav class="see-also".*?</nav>', page_html, re.S)
    return match.group(0) if match else ""


# -- kept: the second request does not render the guide again -----------------------------------------------------


def test_the_second_request_reads_the_kept_route_and_guide(guide):
    first, rendered = visit(guide.url)
    second, kept = visit(guide.url)
    assert kept < rendered / 2, f"{rendered} queries to render the guide, {kept} with it kept"
    assert per_request(second.content) == per_request(first.content)
    assert "Drowsiness" in second.content.decode() and "per tablet" in second.content.decode()


def test_the_home_pages_lists_are_kept_and_a_new_guide_and_article_are_on_them_at_once(guide, site_pages, drug_class):
    first, rendered = visit("/")
    second, kept = visit("/")
    assert kept == 0 < rendered, f"{rendered} queries to render the home page, {kept} with its lists kept"
    assert per_request(second.content) == per_request(first.content) and "Baclofen" in second.content.decode()
    make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    make_article(site_pages["articles"], "Living with spasticity")
    page = html("/")
    assert "Tizanidine" in page and "Living with spasticity" in page


# -- each kind of change is on the next request --------------------------------------------------------------------


def test_a_new_revision_is_on_the_next_request(guide):
    html(guide.url)
    guide.summary = "A rewritten summary, published."
    guide.save_revision().publish()
    assert "A rewritten summary, published." in html(guide.url)


def test_an_unpublished_guide_is_gone_at_once_and_from_the_others_see_also(guide, tizanidine):
    assert "Tizanidine" in see_also(html(guide.url))
    html(tizanidine.url)
    tizanidine.unpublish()
    assert visit(tizanidine.url)[0].status_code == 404
    assert "Tizanidine" not in see_also(html(guide.url))
    tizanidine.get_latest_revision().publish()
    assert visit(tizanidine.url)[0].status_code == 200
    assert "Tizanidine" in see_also(html(guide.url))


def test_a_new_slug_moves_the_guide_at_once(guide):
    old_url = guide.url
    html(old_url)
    guide.slug = "baclofen-tablets"
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert guide.url != old_url and visit(old_url)[0].status_code == 404
    assert "Baclofen" in html(guide.url)


def test_a_moved_article_is_at_its_new_address_at_once(site_pages):
    article = make_article(site_pages["articles"], "Living with spasticity")
    old_url = article.url
    assert "Living with spasticity" in html(old_url)
    news = site_pages["home"].add_child(instance=ArticleIndexPage(title="News", slug="news"))
    news.save_revision().publish()
    article.move(news, pos="last-child")
    article.refresh_from_db()
    assert article.url == "/news/living-with-spasticity/"
    moved, _ = visit(old_url)  # not the page any more: Wagtail's redirect (made by the move) to its new address
    assert moved.status_code == 301 and moved["Location"] == article.url
    assert "Living with spasticity" in html(article.url)


def test_a_view_restriction_applies_to_a_kept_route(guide):
    html(guide.url)
    restriction = PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    response, _ = visit(guide.url)
    assert response.status_code == 302 and "login" in response["Location"]
    reader = Client()
    reader.force_login(make_user("robin@example.com"))
    assert "Drowsiness" in html(guide.url, reader)
    restriction.delete()
    assert "Drowsiness" in html(guide.url)


def test_a_tag_change_is_in_see_also_on_the_next_request(guide, site_pages):
    article = make_article(site_pages["articles"], "Living with spasticity", tags=["spasticity"])
    assert "Living with spasticity" in see_also(html(guide.url))
    article.tags.set(["sleep"])
    article.save_revision().publish()
    assert "Living with spasticity" not in see_also(html(guide.url))
    guide.tags.add("sleep")
    guide.save_revision().publish()
    assert "Living with spasticity" in see_also(html(guide.url))


def test_an_articles_new_revision_is_on_the_next_request_and_its_preview_is_not_kept(site_pages):
    article = make_article(site_pages["articles"], "Living with spasticity", tags=["spasticity"])
    site = from_the_site(article)
    assert "About Living with spasticity." in html(article.url, site)
    draft = article.get_latest_revision_as_object()
    draft.summary = "An unsaved lead in preview."
    assert '<p class="lead">An unsaved lead in preview.</p>' in draft.make_preview_request().content.decode()
    assert "An unsaved lead in preview." not in html(article.url, site)
    article.summary = "A rewritten lead, published."
    article.save_revision().publish()
    page = html(article.url, site)
    assert '<p class="lead">A rewritten lead, published.</p>' in page and "About Living with spasticity." not in page


def test_an_approved_comment_is_on_the_next_request(guide, pharmacist):
    comment = Comment.objects.create(page=guide, author_name="Sam", author_email="s@example.com", body="Thank you!")
    assert "Thank you!" not in html(guide.url)
    discussion.approve([comment], pharmacist)
    assert "Thank you!" in html(guide.url)


def test_a_readers_comment_awaiting_moderation_stays_their_own(guide, settings):
    settings.COMMENT_MIN_SECONDS = 0
    assert "No comments yet." in html(guide.url)
    reader = Client()
    form = {"name": "Sam", "email": "s@example.com", "comment": "Does it make you sleepy?", "parent": ""}
    posted = reader.post(reverse("discussion:post", args=[guide.pk]), {**form, "timestamp": make_timestamp(guide.pk)})
    assert posted.status_code in (302, 303)
    theirs = html(guide.url, reader)
    assert "Does it make you sleepy?" in theirs and "No comments yet." not in theirs
    stranger = html(guide.url)
    assert "Does it make you sleepy?" not in stranger and "No comments yet." in stranger


def test_a_price_change_is_on_the_next_request(guide):
    pack = guide.products.get().packs.get()
    assert "$12.00" in html(guide.url)
    pack.price = Decimal("13.40")
    pack.save()
    page = html(guide.url)
    assert "$13.40" in page and "$12.00" not in page


def test_a_corrected_and_a_verified_reference_are_on_the_next_request(guide):
    reference = guide.guide_references.first().reference
    html(guide.url)
    reference.title = "A corrected title of the trial"
    reference.save()
    assert "A corrected title of the trial" in html(guide.url)
    _, kept = visit(guide.url)
    reference.verification_status = VerificationStatus.VERIFIED
    reference.save(update_fields=["verification_status"])
    _, rendered = visit(guide.url)
    assert rendered > kept  # the guide was rendered again, from the verified reference


def test_a_setting_is_on_the_next_request(guide, site_pages):
    html(guide.url)
    pharmacy = PharmacySettings.objects.get()
    pharmacy.medical_disclaimer = "Ask your pharmacist before you change a dose."
    pharmacy.save()
    assert html(guide.url).count("Ask your pharmacist before you change a dose.") == 2  # the guide's and the footer's


# -- nothing personal is kept, and a preview is neither served nor kept ----------------------------------------------


def test_each_visitor_gets_their_own_csrf_token_in_the_kept_guide(otc_pack):
    guide = otc_pack.product.medicine
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = [set(TOKEN.findall(html(guide.url, visitor))) for visitor in visitors]
    assert all(tokens) and tokens[0].isdisjoint(tokens[1])
    assert "apothecary:csrf" not in html(guide.url)
    for visitor, page_tokens in zip(visitors, tokens, strict=True):
        added = visitor.post(
            "/cart/add/", {"pack": otc_pack.pk, "quantity": "1", "csrfmiddlewaretoken": page_tokens.pop()}
        )
        assert added.status_code == 303


def test_a_signed_in_reader_and_a_cart_stay_their_own(guide, otc_pack):
    reader = Client()
    reader.force_login(make_user("robin@example.com", first_name="Robin", last_name="Patel"))
    reader.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "2"})
    theirs = html(otc_pack.product.medicine.url, reader)
    assert 'value="Robin Patel"' in theirs and "Cart (2)" in theirs
    stranger = html(otc_pack.product.medicine.url)
    assert "Robin" not in stranger and "Cart (0)" in stranger and "Log in" in stranger


def test_a_strangers_comment_form_is_kept_and_a_signed_in_readers_is_their_own(guide):
    html(guide.url)
    kept, queries = visit(guide.url)
    assert kept.status_code == 200 and 'id="comment-form"' in kept.content.decode()
    reader = Client()
    reader.force_login(make_user("sam@example.com", first_name="Sam", last_name="Okafor"))
    assert 'value="Sam Okafor"' in html(guide.url, reader)  # not the stranger's kept form
    assert "Okafor" not in html(guide.url)

    stamp = re.search(r'name="timestamp" value="([^"]+)"', kept.content.decode()).group(1)
    form = {"name": "Ana", "email": "ana@example.com", "comment": "Can I take it with food?", "timestamp": stamp}
    posted = Client().post(f"/comments/{guide.pk}/post/", {**form, "website": "", "parent": ""})
    assert posted.status_code == 303 and Comment.objects.filter(body="Can I take it with food?").exists()


DRAFT_SUMMARY = '<p class="guide__summary">An unsaved summary in preview.</p>'


def from_the_site(page) -> Client:
    """A visitor at the page's own address: where Wagtail's preview pretends to be."""
    return Client(HTTP_HOST=urlsplit(page.full_url).netloc)


def test_a_preview_shows_the_draft_and_leaves_the_kept_guide_alone(guide):
    assert "Drowsiness" in html(guide.url, from_the_site(guide))
    draft = guide.get_latest_revision_as_object()
    draft.summary = "An unsaved summary in preview."
    preview = draft.make_preview_request().content.decode()
    assert DRAFT_SUMMARY in preview
    assert "An unsaved summary in preview." not in html(guide.url, from_the_site(guide))


def test_a_preview_before_any_visit_is_not_kept(guide, site_pages):
    make_article(site_pages["articles"], "Living with spasticity", tags=["spasticity"])
    draft = guide.get_latest_revision_as_object()
    draft.summary = "An unsaved summary in preview."
    draft.tags.set(["sleep"])
    preview = draft.make_preview_request().content.decode()
    assert DRAFT_SUMMARY in preview and "Living with spasticity" not in see_also(preview)
    page = html(guide.url, from_the_site(guide))
    assert "An unsaved summary in preview." not in page and "Living with spasticity" in see_also(page)
