"""Performance budgets: a page costs a fixed number of SQL queries, whatever its size.

Each test renders a page twice, once small and once large (1 product or 50,
0 comments or 500, 1 result or 40), and asserts the two counts are equal and
within the budget.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apothecary.core import freshness
from catalogue.models import DosageForm, Pack, Product
from catalogue.services import approve_product
from discussion.models import Comment, CommentStatus
from tests.factories import approving_pharmacist, make_article, make_medicine, make_product

# Rendered in full (the first request after a change of content): Wagtail's routing (5), the menu and the pharmacy's
# settings, the guide's tables and references (one query each), its product box, "see also", its comments.
GUIDE_BUDGET = 25
# Served with its parts kept (every other request): its route (the page and its view restrictions), the guide's
# body, "see also" and its comments are all kept.
GUIDE_KEPT_BUDGET = 0
# An article in the same way: its routing, menu and settings, references, tags, "see also", comments.
ARTICLE_BUDGET = 16
ARTICLE_KEPT_BUDGET = 0


@pytest.fixture(autouse=True)
def _cold_render(settings):
    """Budgets are for rendering a page, not for serving it from the page cache."""
    settings.PAGE_CACHE = False


class Queries(int):
    """A number of queries that remembers their SQL, so that a failed comparison can say which ones differ."""

    def __new__(cls, captured):
        number = super().__new__(cls, len(captured))
        number.sql = [query["sql"] for query in captured]
        return number

    def beyond(self, other: "Queries") -> str:
        extra = [sql for sql in self.sql if sql not in other.sql] or self.sql
        return "\n".join(sql[:300] for sql in extra)


def count_queries(client, url, *, kept=False):
    """The queries of one request, after one that warmed per-process caches (site root paths, content types) as a
    server would; after a change of content (nothing kept per content version: the page is rendered in full), or,
    with ``kept``, with what the first request kept (routes, fragments, "see also")."""
    cache.clear()
    client.get(url)
    if not kept:
        freshness.content_changed("measuring a page rendered in full")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return Queries(queries.captured_queries), response


def add_products(medicine, how_many):
    for n in range(how_many):
        product = Product.objects.create(medicine=medicine, form=DosageForm.TABLET, strength=f"{n + 100} mg")
        Pack.objects.bulk_create(
            [
                Pack(product=product, units=30, price=Decimal("9.00"), stock=5, sku=f"B-{n}-30"),
                Pack(product=product, units=90, price=Decimal("24.00"), stock=0, sku=f"B-{n}-90"),
            ]
        )
        approve_product(product, approving_pharmacist())


def add_comments(page, how_many):
    comments = Comment.objects.bulk_create(
        [
            Comment(
                page=page,
                author_name=f"Reader {n}",
                author_email=f"r{n}@example.com",
                body=f"Question {n}",
                status=CommentStatus.APPROVED,
            )
            for n in range(how_many)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                page=page,
                parent=comment,
                author_name="Pharmacist",
                author_email="ph@example.com",
                body="Answer",
                status=CommentStatus.APPROVED,
                by_pharmacist=True,
            )
            for comment in comments[: how_many // 2]
        ]
    )


@pytest.mark.django_db
def test_guide_page_queries_do_not_grow_with_products_or_comments(client, site_pages, drug_class, medicine):
    make_product(medicine)
    small, response = count_queries(client, medicine.url)
    assert b"per tablet" in response.content

    add_products(medicine, 49)
    add_comments(medicine, 500)
    large, response = count_queries(client, medicine.url)
    assert response.content.count(b"data-sku=") == 1 * 1 + 49 * 2
    assert b"Reader 499" in response.content

    grown = f"guide page: {small} queries with 1 product, {large} with 50 and 500 comments:\n{large.beyond(small)}"
    assert small == large, grown
    assert large <= GUIDE_BUDGET, f"guide page runs {large} queries; the budget is {GUIDE_BUDGET}"

    kept, response = count_queries(client, medicine.url, kept=True)
    assert response.content.count(b"data-sku=") == 1 * 1 + 49 * 2 and b"Reader 499" in response.content
    assert kept <= GUIDE_KEPT_BUDGET, f"guide page served with its parts kept runs {kept} queries"


@pytest.mark.django_db
def test_article_page_queries_do_not_grow_with_comments(client, site_pages, drug_class, medicine):
    article = make_article(site_pages["articles"], "Living with spasticity", tags=["spasticity"])
    small, _ = count_queries(client, article.url)
    add_comments(article, 500)
    large, response = count_queries(client, article.url)
    assert b"Reader 499" in response.content
    assert small == large, f"article page: {small} queries with no comments, {large} with 500:\n{large.beyond(small)}"
    assert large <= ARTICLE_BUDGET, f"article page runs {large} queries; the budget is {ARTICLE_BUDGET}"
    kept, _ = count_queries(client, article.url, kept=True)
    assert kept <= ARTICLE_KEPT_BUDGET, f"article page served with its parts kept runs {kept} queries"


@pytest.mark.django_db
def test_class_page_queries_do_not_grow_with_medicines(client, site_pages, drug_class, medicine):
    small, _ = count_queries(client, drug_class.url)
    for n in range(30):
        make_medicine(site_pages["medicines"], drug_class, title=f"Medicine {n:02d}")
    large, response = count_queries(client, drug_class.url)
    assert b"Medicine 00" in response.content
    assert small == large, f"class page: {small} queries with 1 guide, {large} with 31:\n{large.beyond(small)}"


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_results(client, site_pages, drug_class, medicine):
    small, response = count_queries(client, "/search/?q=spasticity")
    assert b"Baclofen" in response.content
    for n in range(40):
        make_medicine(site_pages["medicines"], drug_class, title=f"Relaxant {n:02d}", tags=["spasticity"])
    large, response = count_queries(client, "/search/?q=spasticity")
    assert b"Page 1 of" in response.content
    assert small == large, f"search: {small} queries with 1 result, {large} with 41:\n{large.beyond(small)}"
