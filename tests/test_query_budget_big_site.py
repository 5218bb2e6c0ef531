"""The lists stay constant in queries as the site grows: the public lists (A–Z, a class, a tag, the articles, the
feed, the sitemap, search), the API lists and the admin's lists of products, orders and comments.

Each page is read on the demo with a tiny generated site (``home.demo.bigsite``), then with a bigger one (dozens of
guides, hundreds of products and comments); no count may grow.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from home.demo.bigsite import Sizes, generate

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/medicines/examplamine-1/",
    "/medicines/baclofen/",
    "/medicines/?letter=E",
    "/classes/generated-class-1/",
    "/classes/generated-class-1/?page=2",
    "/tags/travel-1/",
    "/articles/",
    "/feed/",
    "/sitemap.xml",
    "/search/?q=examplamine",
    "/api/medicines",
    "/api/products",
    "/api/classes",
    "/api/articles",
    "/api/search?q=examplamine",
]
ADMIN = ["/admin/snippets/catalogue/product/", "/admin/orders/", "/admin/snippets/discussion/comment/"]
SMALL = Sizes(guides=2, products=4, articles=2, comments=4, orders=2, classes=1, tags=2)
LARGE = Sizes(guides=60, products=180, articles=30, comments=300, orders=60, classes=1, tags=2)


@pytest.fixture(autouse=True)
def _cold_render(settings):
    settings.PAGE_CACHE = False  # what rendering costs, not what the page cache serves


def counts_with(sizes: Sizes, admin_client) -> dict[str, tuple[int, int]]:
    """(status, queries) of a warm request to each page, with a site of ``sizes`` generated on the demo."""
    counts, anonymous = {}, Client()
    with transaction.atomic():
        generate(sizes, write=lambda line: None)
        for path in PUBLIC + ADMIN:
            reader = admin_client if path in ADMIN else anonymous
            cache.clear()
            reader.get(path)  # warm per-process caches, as a running server has them
            with CaptureQueriesContext(connection) as queries:
                response = reader.get(path)
            counts[path] = (response.status_code, len(queries))
        transaction.set_rollback(True)
    return counts


def test_lists_cost_the_same_queries_on_a_bigger_site(demo, admin_client):
    small = counts_with(SMALL, admin_client)
    large = counts_with(LARGE, admin_client)
    assert {path: status for path, (status, _) in large.items()} == dict.fromkeys(PUBLIC + ADMIN, 200)
    # Never more on the bigger site (a list may cost one query fewer: the feed reads a query per page type among
    # its newest entries, and the bigger site's are all articles).
    grown = {path: (small[path][1], queries) for path, (_, queries) in large.items() if queries > small[path][1]}
    assert grown == {}
