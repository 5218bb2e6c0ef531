"""/sitemap.xml: every live, public page with its last publication date; a sitemap index once the site outgrows one
part.

The list is paged (``PART_SIZE`` addresses a part, below the protocol's 50,000 so that each part stays quick to
make). A site that fits in one part gets the sitemap itself at /sitemap.xml; a bigger one gets a sitemap index
there, naming /sitemap-pages.xml?p=1, ?p=2, …. A part is read as the pages' paths and days alone (a query for the
count, one for the view restrictions and one for the part) and written directly: a page's address is the site's
root URL and its path below the site's root page, as Wagtail's own ``get_full_url`` makes it, without building
10,000 page objects or rendering a template row by row.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_safe
from wagtail.models import Site

from seo.site import site_root_url

PART_SIZE = 10_000
SECTION = "pages"
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def site_pages(request) -> tuple[str, str, Paginator]:
    """The site's root URL, its root page's path, and its live, public pages' paths and dates, paged."""
    site = Site.find_for_request(request) or Site.objects.select_related("root_page").get(is_default_site=True)
    root = site.root_page
    pages = (
        root.get_descendants(inclusive=True)
        .live()
        .public()
        .order_by("path")
        .annotate(changed=TruncDate(Coalesce("last_published_at", "latest_revision_created_at")))
        .values_list("url_path", "changed")
    )
    return site.root_url.rstrip("/"), root.url_path, Paginator(pages, PART_SIZE)


def xml_response(lines: list[str]) -> HttpResponse:
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines) + "\n"
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def urlset(root_url: str, root_path: str, paginator: Paginator, number) -> HttpResponse:
    """One part of the sitemap (``number``, from 1); 404 for a part that does not exist."""
    try:
        part = paginator.page(number)
    except InvalidPage:
        raise Http404(f"No sitemap part {number}.") from None
    lines = [f'<urlset xmlns="{NAMESPACE}">']
    for url_path, changed in part.object_list:
        location = escape(f"{root_url}/{url_path[len(root_path) :]}")
        lastmod = f"<lastmod>{changed.isoformat()}</lastmod>" if changed else ""
        lines.append(f"<url><loc>{location}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return xml_response(lines)


@require_safe
def sitemap(request):
    """The sitemap when the site fits in one part, else the sitemap index."""
    root_url, root_path, paginator = site_pages(request)
    if paginator.num_pages <= 1:
        return urlset(root_url, root_path, paginator, 1)
    location = escape(site_root_url(request) + reverse("sitemap_part", kwargs={"section": SECTION}))
    lines = [f'<sitemapindex xmlns="{NAMESPACE}">']
    lines += [f"<sitemap><loc>{location}?p={number}</loc></sitemap>" for number in paginator.page_range]
    lines.append("</sitemapindex>")
    return xml_response(lines)


@require_safe
def sitemap_part(request, section: str):
    """One part of a big site's sitemap: /sitemap-pages.xml?p=N."""
    if section != SECTION:
        raise Http404("No such sitemap.")
    return urlset(*site_pages(request), request.GET.get("p", 1))
