"""robots.txt: what crawlers may read, and where the sitemap is."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from apothecary.core.middleware import PRIVATE_PREFIXES
from seo.site import site_root_url


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """robots.txt: public pages may be crawled, private areas not; the sitemap by its full URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PREFIXES), "Allow: /", ""]
    lines.append(f"Sitemap: {site_root_url(request)}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
