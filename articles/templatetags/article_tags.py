from django import template

from articles import services

register = template.Library()


@register.inclusion_tag("articles/includes/see_also.html")
def see_also(page, tags=None, limit=5):
    """The editor's picks for ``page``, filled up with the closest guides and articles.

    Pass the page's ``tags`` when the template already has them, to save a query.
    """
    return {"links": services.see_also(page, limit=limit, tags=tags)}


@register.filter
def ref_number(numbers, reference):
    """``{{ ref_numbers|ref_number:value.reference }}``: the reference's number in the page's list."""
    if not numbers or reference is None:
        return None
    return numbers.get(reference.pk)
