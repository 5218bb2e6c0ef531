import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

MARKER = re.compile(r"\[(\d+)((?:\s*[,–-]\s*\d+)*)\]")


@register.filter
def cite_links(text):
    """Turn inline citation markers ("[1]", "[1, 3]") into links to the page's numbered references.

    The text is escaped first unless it is already safe HTML (rich text); only
    our own link markup is added.
    """

    def link(match):
        return (
            f'<sup class="cite"><a href="#ref-{match.group(1)}" aria-label="Reference {match.group(1)}'
            f'{match.group(2)}">{match.group(0)}</a></sup>'
        )

    return mark_safe(MARKER.sub(link, str(conditional_escape(text))))
