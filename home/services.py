"""The site's structure, and search across guides and articles."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site


def searchable_pages():
    """What search and the feed cover: the live, public content pages (``articles.services.content_pages``)."""
    from articles.services import content_pages

    return content_pages()


MAX_QUERY_LENGTH = 200


def clean_query(text: str) -> str:
    """The reader's words only: no control characters, nor the quotes and operators
    that the database's full-text parser would read as syntax."""
    text = "".join(char if char.isprintable() else " " for char in text)
    text = re.sub(r"[\"'*():^{}\[\]\\+~<>|&!-]", " ", text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_pages(query: str):
    """Live guides and articles matching ``query``, best first (a lazy search result): the pages with every word of
    it; when no page has them all, the pages with any of its words (numbers aside). Every word first, so that a query
    with one common word ("tablets for hay fever") is not ranked against half the site, which on a big site takes
    seconds."""
    text = clean_query(query)
    every = searchable_pages().search(text, operator="and")
    if len(text.split()) > 1 and not every.count():
        return searchable_pages().search(any_words(text), operator="or")
    return every


def best_page_ids(query: str, limit: int) -> list[int]:
    """The ids of the first ``limit`` pages of ``search_pages(query)``: one search when a page has every word."""
    text = clean_query(query)
    ids = _ids(searchable_pages().search(text, operator="and")[:limit])
    if not ids and len(text.split()) > 1:
        ids = _ids(searchable_pages().search(any_words(text), operator="or")[:limit])
    return ids


def _ids(results) -> list[int]:
    """The ids of search results, in their order, without making a page object of each (500 of them cost ~15 ms):
    the database backends' results are a queryset (``get_queryset``), ranked and sliced."""
    if hasattr(results, "get_queryset"):
        return list(results.get_queryset().values_list("pk", flat=True))
    return [page.pk for page in results]


def any_words(text: str) -> str:
    """The words a search falls back to when no page has them all: all but bare numbers ("baclofn 10" is not every
    page that says 10: the misspelt name then finds nothing, and search corrects it)."""
    return " ".join([word for word in text.split() if not word.isdigit()] or text.split())


def specific_results(pages) -> list:
    """The given page of results as their specific types, in a query per type."""
    pages = list(pages)
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()}
    return [by_id[page.pk] for page in pages if page.pk in by_id]


def site_url_address() -> dict:
    """``settings.SITE_URL`` as a Wagtail site's hostname and port."""
    address = urlsplit(settings.SITE_URL)
    return {
        "hostname": address.hostname or "localhost",
        "port": address.port or (443 if address.scheme == "https" else 80),
    }


def follow_site_url() -> tuple[str, bool]:
    """Move the default Wagtail site to ``settings.SITE_URL`` (its hostname and port), so that page links,
    canonical links, the sitemap and the feed name the address the site is served at. Returns the site's root URL
    and whether it moved. Run on every start by `make run` (``manage.py follow_site_url``)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return settings.SITE_URL, False
    public = site_url_address()
    if (site.hostname, site.port) == (public["hostname"], public["port"]):
        return site.root_url, False
    site.hostname, site.port = public["hostname"], public["port"]
    site.save()  # Wagtail forgets the cached site root paths on save
    return site.root_url, True


@transaction.atomic
def build_site() -> dict[str, Page]:
    """The page tree every Apothecary site has, created once and found after.

    Home (the default site's root) with three sections shown in the menu:
    Medicines A–Z (/medicines/), Drug classes (/classes/) and Articles
    (/articles/); the editorial groups and the guide review workflow.
    """
    from apothecary.core.roles import install_roles
    from articles.models import ArticleIndexPage
    from home.models import HomePage, PharmacySettings
    from medicines.models import DrugClassIndexPage, MedicineIndexPage
    from medicines.services import (
        install_article_review_workflow,
        install_guide_review_workflow,
    )

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:  # a flushed test database: rebuild what Wagtail's migrations make
            Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
            if not Collection.objects.exists():
                Collection.add_root(name="Root")
            root = Page.add_root(title="Root", slug="root")
        # The placeholder page Wagtail's migrations create is replaced by ours.
        for placeholder in Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage"):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        root.refresh_from_db()
        home = root.add_child(
            instance=HomePage(
                title="Apothecary",
                slug="home",
                intro="Medicine guides checked by pharmacists, with their sources, and honest prices.",
            )
        )
    # The site sits at the public address, so canonical links, the sitemap and the feed name it. A site still at
    # Wagtail's placeholder address (localhost:80) is moved there too; one an operator set up is left alone (but
    # ``follow_site_url``, run by `make run` on every start, moves it to SITE_URL).
    public = site_url_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME, **public)
    elif (site.hostname, site.port) == ("localhost", 80):
        site.hostname, site.port = public["hostname"], public["port"]
    site.root_page = home
    site.save()
    # Its settings row, with the defaults, made now rather than by the first page that asks for it.
    PharmacySettings.for_site(site)

    def section(model, title, slug, intro):
        page = model.objects.child_of(home).first()
        if page is None:
            page = home.add_child(instance=model(title=title, slug=slug, intro=intro, show_in_menus=True))
        return page

    pages = {
        "home": home,
        "medicines": section(MedicineIndexPage, "Medicines A–Z", "medicines", "Every medicine guide, alphabetically."),
        "classes": section(DrugClassIndexPage, "Drug classes", "classes", "Medicines grouped by how they work."),
        "articles": section(ArticleIndexPage, "Articles", "articles", "Explainers and news from our pharmacists."),
    }
    for page in pages.values():  # published once, so the sitemap and the feed have a date for them
        if page.last_published_at is None:
            page.save_revision().publish()
    install_roles(home)
    install_guide_review_workflow(pages["medicines"])
    install_article_review_workflow(pages["articles"])
    return pages


def index_references() -> None:
    """Wagtail's reference index for every indexed model (what ``manage.py rebuild_references_index`` writes)."""
    from django.apps import apps
    from wagtail.models import ReferenceIndex

    for model in apps.get_models():
        if ReferenceIndex.is_indexed(model):
            for instance in model._default_manager.order_by("pk").iterator():
                ReferenceIndex.create_or_update_for_object(instance)
