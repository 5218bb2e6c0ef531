"""The PostgreSQL run really is on PostgreSQL, with Wagtail's PostgreSQL full-text search."""

import pytest
from django.db import connection

pytestmark = pytest.mark.postgres


def test_database_is_postgresql():
    assert connection.vendor == "postgresql"


def test_wagtail_uses_the_postgresql_search_backend():
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    assert "postgres" in type(backend).__module__, type(backend)


@pytest.mark.django_db
def test_full_text_search_finds_a_guide(medicine):
    from home.services import search_pages

    assert medicine in [page.specific for page in search_pages("baclofen")]
