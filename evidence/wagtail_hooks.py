from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from evidence.models import Reference


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    icon = "doc-full"
    menu_label = "References"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "authors", "container", "year", "doi", "pmid", "verification_status"]
    list_filter = ["kind", "year", "verification_status"]
    search_fields = ["title", "authors", "container", "doi", "pmid"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("authors"),
        FieldPanel("title"),
        FieldPanel("container"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("volume"), FieldPanel("pages")]),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("pmid")]),
        FieldPanel("url"),
        FieldPanel("accessed"),
        MultiFieldPanel(
            [
                FieldPanel("verification_status", read_only=True),
                FieldPanel("verification_notes", read_only=True),
                FieldPanel("verified_at", read_only=True),
            ],
            heading="Verification against Crossref / PubMed",
        ),
    ]


register_snippet(ReferenceViewSet)
