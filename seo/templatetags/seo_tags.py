"""Structured data and search-engine meta for templates: ``{% load seo_tags %}``.

- ``{% seo_meta %}`` in the base template's head: canonical URL, description, OpenGraph and Twitter card;
  a page template overrides the ``seo_meta`` block to pass its own ``description`` or ``og_type``.
- ``{% page_jsonld %}``: the JSON-LD graph of the page in the context (articles, drug classes, other pages).
- A guide loads its catalogue once for the product box and its JSON-LD::

      {% guide_catalogue page as catalogue %}
      {% include "catalogue/includes/product_box.html" with medicine=page products=catalogue.products ... %}
      {% medicine_jsonld page catalogue.products %}

Nothing here queries the database beyond what the page has already loaded (the site and its settings
are cached on the request).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from wagtail.models import Page

from articles.models import ArticlePage
from catalogue.templatetags.catalogue_tags import product_box
from medicines.models import DrugClassPage, MedicinePage
from seo import jsonld
from seo.site import site_name, site_root_url

register = template.Library()

# Query parameters that select a different listing (a letter of the A–Z, a page of results): kept in the canonical URL.
CANONICAL_PARAMETERS = ("letter", "page")
DESCRIPTION_LENGTH = 300


def wagtail_page(context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) else None


def canonical_url(request, page: Page | None) -> str:
    """The page's full URL on its site (the one the sitemap lists), with the listing parameters that matter."""
    url = page.get_full_url(request) if page is not None else None
    if not url:
        url = site_root_url(request) + request.path
    kept = [
        (name, request.GET[name])
        for name in CANONICAL_PARAMETERS
        if request.GET.get(name) and not (name == "page" and request.GET[name] == "1")
    ]
    return f"{url}?{urlencode(kept)}" if kept else url


@register.simple_tag(takes_context=True)
def seo_meta(context, description=None, og_type="website"):
    """Canonical link, meta description, OpenGraph and Twitter card tags for the page being rendered."""
    request = context.get("request")
    if request is None:
        return ""
    page = wagtail_page(context)
    publisher = site_name(request)
    title = (page.seo_title or page.title) if page is not None else publisher
    text = jsonld.plain_text(description) if description is not None else ""
    if not text and page is not None:
        text = jsonld.page_description(page)
    text = Truncator(text or title).chars(DESCRIPTION_LENGTH)
    url = canonical_url(request, page)
    meta = [
        ("name", "description", text),
        ("property", "og:title", title),
        ("property", "og:description", text),
        ("property", "og:url", url),
        ("property", "og:type", og_type),
        ("property", "og:site_name", publisher),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", text),
    ]
    return format_html('<link rel="canonical" href="{}">\n  ', url) + format_html_join(
        "\n  ", '<meta {}="{}" content="{}">', meta
    )


def page_place(request, page) -> dict:
    """Where the page is and who publishes it, as every JSON-LD builder takes them."""
    return {
        "page_url": page.get_full_url(request),
        "site_url": site_root_url(request),
        "publisher_name": site_name(request),
    }


def context_rows(context) -> dict:
    """The rows the page's context already holds (its references, breadcrumbs and tags), for its JSON-LD."""
    return {"references": context.get("references"), "trail": context.get("breadcrumbs"), "tags": context.get("tags")}


@register.simple_tag(takes_context=True)
def page_jsonld(context):
    """The JSON-LD of the Wagtail page in the context, by its type; guides render theirs with ``medicine_jsonld``."""
    request = context.get("request")
    page = wagtail_page(context)
    if request is None or page is None or isinstance(page, MedicinePage):
        return ""
    if isinstance(page, ArticlePage):
        data = jsonld.article_page(page, **page_place(request, page), **context_rows(context))
    elif isinstance(page, DrugClassPage):
        data = jsonld.drug_class_page(page, **page_place(request, page))
    else:
        data = jsonld.generic_page(page, **page_place(request, page))
    return jsonld.script_tag(data)


@register.simple_tag(takes_context=True)
def guide_catalogue(context, medicine):
    """The guide's products with their packs, read once (the product box's own query) for the box and the JSON-LD."""
    return product_box(context, medicine)


@register.simple_tag(takes_context=True)
def medicine_jsonld(context, page, products):
    """The guide's JSON-LD from the rows its context and its catalogue already hold."""
    request = context.get("request")
    if request is None:
        return ""
    data = jsonld.medicine_page(
        page,
        **page_place(request, page),
        products=products,
        side_effects=context.get("side_effects"),
        interactions=context.get("interactions"),
        **context_rows(context),
    )
    return jsonld.script_tag(data)
