"""/sitemap.xml: every live, public page with its last publication date; a sitemap index once the site outgrows one
part.

Django's sitemap framework pages the list (``PART_SIZE`` addresses a part, below the protocol's 50,000 so that each
part stays quick to make). A site that fits in one part gets the sitemap itself at /sitemap.xml; a bigger one gets a
sitemap index there, naming /sitemap-pages.xml?p=1, ?p=2, …. A part reads base pages in path order, without their
specific rows: one query for the count and one for the part's pages.
"""

from __future__ import annotations

from django.contrib.sitemaps import views as django_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap

from seo.site import site_root_url

PART_SIZE = 10_000
SECTION = "pages"


class PageSitemap(Sitemap):
    """The Wagtail site's live, public pages, ``PART_SIZE`` a part."""

    limit = PART_SIZE

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only("id", "path", "depth", "url_path", "locale_id", "last_published_at", "latest_revision_created_at")
        )


@require_safe
def sitemap(request):
    """The sitemap when the site fits in one part, else the sitemap index."""
    pages = PageSitemap(request)
    if pages.paginator.num_pages > 1:
        return sitemap_index(request, pages)
    return django_views.sitemap(request, {SECTION: pages})


@require_safe
def sitemap_part(request, section: str):
    """One part of a big site's sitemap: /sitemap-pages.xml?p=N."""
    return django_views.sitemap(request, {SECTION: PageSitemap(request)}, section=section)


def sitemap_index(request, pages: PageSitemap):
    location = site_root_url(request) + reverse("sitemap_part", kwargs={"section": SECTION})
    parts = [SitemapIndexItem(f"{location}?p={number}", None) for number in pages.paginator.page_range]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": parts}, content_type="application/xml; charset=utf-8"
    )
