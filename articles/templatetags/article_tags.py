from django import template

from apothecary.core.fragments import keeps_fragments
from articles import services

register = template.Library()


@register.inclusion_tag("articles/includes/see_also.html", takes_context=True)
def see_also(context, page, tags=None, limit=5):
    """The editor's picks for ``page``, filled up with the closest guides and articles: as published, worked out once
    per content version; in a preview, from the page's unsaved tags and links.

    Pass the page's ``tags`` when the template already has them, to save a query.
    """
    if keeps_fragments(context.get("request")):
        return {"links": services.published_see_also(page, limit=limit, tags=tags)}
    return {"links": services.see_also(page, limit=limit, tags=tags)}


@register.filter
def ref_number(numbers, reference):
    """``{{ ref_numbers|ref_number:value.reference }}``: the reference's number in the page's list."""
    if not numbers or reference is None:
        return None
    return numbers.get(reference.pk)
