"""The Atom feed of new and updated medicine guides and articles, at /feed/ (``seo.urls``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe
from wagtail.models import Site

from articles.services import content_pages
from seo.site import site_name, site_root_url

FEED_ENTRIES = 20


@dataclass
class FeedSite:
    """What one request's feed is built from: the site's pages, name and address."""

    name: str
    root_url: str
    feed_url: str
    pages: list


class LatestContentFeed(Feed):
    """Live guides and articles, the most recently published (or re-published) first, with summaries."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs) -> FeedSite:
        root_url = site_root_url(request)
        pages = content_pages().specific().defer_streamfields().order_by("-last_published_at", "-pk")
        site = Site.find_for_request(request)
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        pages = list(pages[:FEED_ENTRIES])
        for page in pages:
            page.feed_url = page.get_full_url(request)
        return FeedSite(
            name=site_name(request),
            root_url=root_url,
            feed_url=root_url + request.path,
            pages=pages,
        )

    def title(self, site: FeedSite) -> str:
        return f"{site.name}: new and updated medicine guides and articles"

    def subtitle(self, site: FeedSite) -> str:
        return "Medicine guides checked by pharmacists, and articles, newest changes first."

    def link(self, site: FeedSite) -> str:
        return site.root_url + "/"

    def feed_url(self, site: FeedSite) -> str:
        return site.feed_url

    def feed_guid(self, site: FeedSite) -> str:
        return site.feed_url

    def author_name(self, site: FeedSite) -> str:
        return site.name

    def items(self, site: FeedSite) -> list:
        return site.pages

    def item_title(self, page) -> str:
        return page.title

    def item_description(self, page) -> str:
        # Atom's <summary type="html">: the plain-text summary, escaped so that a reader shows it as written.
        return escape(page.summary)

    def item_link(self, page) -> str:
        return page.feed_url

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at

    def item_author_name(self, page) -> str | None:
        return getattr(page, "author_name", "") or None

    def item_categories(self, page) -> list[str]:
        return [str(type(page)._meta.verbose_name).capitalize()]


latest_content = require_safe(LatestContentFeed())
