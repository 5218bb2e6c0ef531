from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Site

from apothecary import ratelimit
from apothecary.middleware import PRIVATE_PREFIXES
from home import services

RESULTS_PER_PAGE = 10


def site_root_url(request) -> str:
    """The public address of the Wagtail site serving ``request`` ("https://pharmacy.example"), no trailing slash.

    The same root that Wagtail's page URLs and the sitemap use; SITE_URL when no site is set up.
    """
    site = Site.find_for_request(request)
    return (site.root_url if site else settings.SITE_URL).rstrip("/")


def search(request):
    """Search guides and articles: generic and brand names, conditions, text."""
    query = services.clean_query(request.GET.get("q", ""))
    results = None
    if query and ratelimit.client_exceeded(request, "search"):
        return ratelimit.too_many_requests(request, "search", "search")
    if query:
        paginator = Paginator(services.search_pages(query), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
        results.object_list = services.specific_results(results.object_list)
    return render(request, "home/search.html", {"search_query": query, "results": results})


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """robots.txt: public pages may be crawled, private areas not; the sitemap by its full URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PREFIXES), "Allow: /", ""]
    lines.append(f"Sitemap: {site_root_url(request)}{reverse(sitemap)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: the site's own page, saying what to do (Django's says it to developers)."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    # Rendered without a context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
