from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from evidence.models import Reference


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    icon = "doc-full"
    menu_label = "References"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "authors", "container", "year", "doi", "pmid"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "authors", "container", "doi", "pmid"]


register_snippet(ReferenceViewSet)
