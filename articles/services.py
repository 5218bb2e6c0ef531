"""The site's content pages (guides and articles), their tags and "see also": links between them."""

from __future__ import annotations

from django.db.models import Count, Q
from wagtail.models import Page

from apothecary.core import freshness
from medicines import related


def content_page_models() -> list[type[Page]]:
    """The site's content page types: guides and articles, the pages that carry tags, that search and the feed
    list. The one list of them: every other place asks here."""
    from articles.models import ArticlePage
    from medicines.models import MedicinePage

    return [MedicinePage, ArticlePage]


def content_pages():
    """The live, public content pages (a queryset of base pages)."""
    return Page.objects.live().public().type(*content_page_models())


def pages_tagged(tag):
    """Live guides and articles with ``tag``, alphabetically (a queryset of base pages; paginate it)."""
    from articles.models import ArticlePageTag

    articles = Q(pk__in=ArticlePageTag.objects.filter(tag=tag).values("content_object_id"))
    return Page.objects.live().public().filter(related.tagged_ids_with([tag]) | articles).order_by("title", "pk")


def see_also(page, limit: int = 5, tags=None) -> list[Page]:
    """The editor's picks, filled up with the closest live guides and articles.

    Closeness counts the tags a page shares with ``page``, plus two for a guide
    in the same drug class. Two queries for the picks and one for the rest,
    whatever the number of candidates (plus one for view restrictions).
    """
    picks = [link.linked_page for link in page.see_also_links.select_related("linked_page") if link.linked_page.live]
    if len(picks) >= limit:
        return picks[:limit]
    tag_ids = [tag.pk for tag in (tags if tags is not None else page.tags.all())]
    drug_class_id = related.drug_class_id(page)
    if not tag_ids and not drug_class_id:
        return picks
    shares_tags = related.tagged_with(tag_ids) | Q(articlepage__tags__in=tag_ids)
    same_class = related.in_drug_class(drug_class_id)
    shared_tags = related.shared_tag_count(tag_ids) + Count(
        "articlepage__tags", filter=Q(articlepage__tags__in=tag_ids), distinct=True
    )
    class_bonus = Count("pk", filter=same_class, distinct=True) * 2
    candidates = (
        Page.objects.live()
        .public()
        .exclude(pk__in=[page.pk, *(p.pk for p in picks)])
        .filter(shares_tags | same_class)
        .annotate(closeness=shared_tags + class_bonus)
        .order_by("-closeness", "title")
    )
    return picks + list(candidates[: limit - len(picks)])


def published_see_also(page, limit: int = 5, tags=None) -> list[Page]:
    """``see_also`` of a page as published, worked out once per content version: any publish, unpublish, tag or
    link change gives a new one. Not for a preview, whose unsaved tags and links differ from the published ones."""
    return freshness.keep(f"see-also:{page.pk}:{limit}", lambda: see_also(page, limit=limit, tags=tags))
