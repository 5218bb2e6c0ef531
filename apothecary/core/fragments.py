"""Parts of public pages rendered once per content version: ``{% load fragments %}``.

    {% fragment "guide" page.pk page.live_revision_id %} ... {% endfragment %}

renders its contents once and keeps the HTML in the "fragments" cache under the fragment's name, the values given
after it (what else it depends on), the page's address, and the content version (``freshness.keep``): any
change to public content gives a new version, so a fragment kept before it is never shown again. Work the contents
need (queries, "see also") should be done inside, or lazily, so that a kept fragment costs none of it.

Nothing personal is kept. The CSRF token of a form inside is kept as a marker, and each visitor's own token is
filled in on the way out; anything else of the visitor's (their name, their cart, a message, their pending
comments) must stay outside the fragment. Wagtail's previews (an editor's unsaved content) are rendered afresh and
never kept, and nor is anything rendered without a request.
"""

from __future__ import annotations

import hashlib

from django import template
from django.utils.safestring import mark_safe

from apothecary.core import freshness
from apothecary.core.pagecache import CSRF_MARKER, visitor_csrf_token, without_csrf_token

register = template.Library()
_MARKER = CSRF_MARKER.decode()


def keeps_fragments(request) -> bool:
    """Whether what is rendered for ``request`` may be kept: a request for the public site, not a preview."""
    return request is not None and not getattr(request, "is_preview", False)


def _key(request, parts) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "fragment:" + hashlib.md5(repr((address, *parts)).encode()).hexdigest()


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        if not keeps_fragments(request):
            return self.nodelist.render(context)
        parts = [part.resolve(context) for part in self.parts]
        html = freshness.keep(
            _key(request, parts), lambda: without_csrf_token(self.nodelist.render(context).encode()).decode()
        )
        if _MARKER in html:
            html = html.replace(_MARKER, visitor_csrf_token(request))
        return mark_safe(html)


@register.tag
def fragment(parser, token):
    """``{% fragment "name" value... %}...{% endfragment %}``: see the module's documentation."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name, e.g. {% fragment "guide" page.pk %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
