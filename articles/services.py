"""Tags and "see also": links between guides and articles."""

from __future__ import annotations

from django.db.models import Count
from wagtail.models import Page


def tagged_page_models() -> list[type[Page]]:
    """Every page type that carries tags (guides and articles)."""
    from articles.models import ArticlePage
    from medicines.models import MedicinePage

    return [MedicinePage, ArticlePage]


def pages_tagged(tag) -> list[Page]:
    """Live guides and articles with ``tag``, alphabetically."""
    pages = []
    for model in tagged_page_models():
        pages.extend(model.objects.live().public().filter(tags=tag).order_by("title"))
    return sorted(pages, key=lambda page: page.title.lower())


def see_also(page, limit: int = 5) -> list[Page]:
    """The editor's picks, filled up with the closest guides and articles.

    Closeness counts shared tags, and two more for a guide in the same drug class.
    """
    picks = [link.linked_page for link in page.see_also_links.select_related("linked_page") if link.linked_page.live]
    chosen = {page.pk, *(p.pk for p in picks)}
    if len(picks) >= limit:
        return picks[:limit]
    tag_ids = [tag.pk for tag in page.tags.all()]
    drug_class_id = getattr(page, "drug_class_id", None)
    scored: dict[int, tuple[int, Page]] = {}
    for model in tagged_page_models():
        candidates = model.objects.live().public().exclude(pk__in=chosen)
        if tag_ids:
            for candidate in candidates.filter(tags__in=tag_ids).annotate(shared=Count("tags")).order_by("-shared")[:limit]:
                scored[candidate.pk] = (candidate.shared, candidate)
        if drug_class_id and hasattr(model, "drug_class"):
            for candidate in candidates.filter(drug_class_id=drug_class_id).order_by("title")[:limit]:
                shared = scored.get(candidate.pk, (0, candidate))[0]
                scored[candidate.pk] = (shared + 2, candidate)
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1].title))
    return picks + [candidate for _, candidate in ranked][: limit - len(picks)]
